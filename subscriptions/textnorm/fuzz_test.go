package textnorm

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"", "North-Korea's Kim", "Straße ẞ ß", "São Paulo", "ΟΔΥΣΣΕΥΣ ς", "北京大学", "ｶﾞｽ か\u3099",
		"\u1112\u1161\u11AB", "ﷺ ㍿ ½", "ab\xffcd", "İı", "مُحَمَّد", "กรุงเทพ", "Zelens\u00adkyy",
	} {
		f.Add(s)
	}
	for _, name := range []string{"testdata/story_en.txt", "testdata/story_multi.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		got := terms(toks)
		for i, tok := range toks {
			if tok.Pos != i {
				t.Fatalf("token %d has position %d", i, tok.Pos)
			}
			if tok.Term == "" || !utf8.ValidString(tok.Term) || strings.ContainsAny(tok.Term, " \t\n") {
				t.Fatalf("bad term %q from %q", tok.Term, s)
			}
		}
		// Normalisation is idempotent: tokenising the joined terms gives them back.
		joined := JoinTerms(got)
		if again := terms(Tokens(joined)); !slices.Equal(again, got) {
			t.Fatalf("Tokens(%q) = %q\nTokens(JoinTerms) = %q", s, got, again)
		}
		n := Normalize(s)
		if n != joined {
			t.Fatalf("Normalize(%q) = %q, JoinTerms(Tokens) = %q", s, n, joined)
		}
		if Normalize(n) != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, Normalize(n))
		}
		title, text, _ := strings.Cut(s, "|")
		checkDoc(t, title, text)
	})
}
