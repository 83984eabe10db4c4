package query

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

func mustParse(t testing.TB, s string) *Query {
	t.Helper()
	q, err := Parse(s, DefaultLimits())
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}

func TestParseCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"single word", "Putin", "putin"},
		{"implicit and", "russia ukraine", "russia ukraine"},
		{"explicit and", "russia AND ukraine", "russia ukraine"},
		{"or keyword", "russia OR putin", "russia OR putin"},
		{"pipe is or", "russia | putin", "russia OR putin"},
		{"repeated pipes", "russia || putin", "russia OR putin"},
		{"lower-case operators are words", "war or peace and not", "war or peace and not"},
		{"not keyword", "russia NOT sports", "russia -sports"},
		{"minus", "russia -sports", "russia -sports"},
		{"negated phrase", `fifa -"world cup"`, `fifa -"world cup"`},
		{"negated group", "russia NOT (football OR hockey)", "russia -(football OR hockey)"},
		{"negated and group", "russia -(football club)", "russia -(football club)"},
		{"double negation", "NOT NOT russia", "russia"},
		{"double minus", "--russia", "russia"},
		{"phrase", `"North Korea"`, `"north korea"`},
		{"one-word phrase is a word", `"Putin"`, "putin"},
		{"hyphenated word is a phrase", "North-Korea", `"north korea"`},
		{"apostrophe word is a phrase", "don't", `"don t"`},
		{"typographic quotes", "“north korea” «kim jong»", `"north korea" "kim jong"`},
		{"precedence and over or", "a b OR c", "a b OR c"},
		{"precedence or in parens", "a (b OR c)", "a (b OR c)"},
		{"precedence not over and", "NOT a b", "-a b"},
		{"precedence not over or", "a OR NOT b c", "a OR -b c"},
		{"flatten and", "a (b (c d))", "a b c d"},
		{"flatten or", "a OR (b OR (c OR d))", "a OR b OR c OR d"},
		{"redundant parens", "((a))", "a"},
		{"duplicates dropped", "a b a", "a b"},
		{"duplicate or", "(a OR a) b", "a b"},
		{"prefix", "Ukrain*", "ukrain*"},
		{"prefix with accent", "Zelens*", "zelens*"},
		{"prefix folded", "Straß*", "strass*"},
		{"title field", "title:Putin", "title:putin"},
		{"text field", "text:Putin", "text:putin"},
		{"field case-insensitive", "Title:Putin", "title:putin"},
		{"field phrase", `title:"North Korea"`, `title:"north korea"`},
		{"field prefix", "title:ukrain*", "title:ukrain*"},
		{"field group", "title:(a OR b) c", "(title:a OR title:b) c"},
		{"negated field", "putin -title:opinion", "putin -title:opinion"},
		{"colon after field is punctuation", "title:10:30", `title:"10 30"`},
		{"digits with colon", "10:30", `"10 30"`},
		{"accents", "São Paulo", "sao paulo"},
		{"cyrillic", "Путин", "путин"},
		{"greek", "Αθήνα", "αθηνα"},
		{"arabic", "مُحَمَّد", "محمد"},
		{"chinese is a phrase", "北京", `"北京"`},
		{"chinese single char", "京", "京"},
		{"japanese", "トランプ", `"トランプ"`},
		{"hangul word", "서울", "서울"},
		{"brief example", `"north korea" AND (russia OR putin) -sports`, `"north korea" (russia OR putin) -sports`},
		{"or of ands", "a b OR c d", "a b OR c d"},
		{"not inside or", "a OR (b -c)", "a OR b -c"},
		{"spaces everywhere", "  ( a   OR b )  c ", "(a OR b) c"},
		{"operators glued to parens", "(a OR(b))", "a OR b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustParse(t, tt.in)
			if got := q.String(); got != tt.want {
				t.Fatalf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			again := mustParse(t, q.String())
			if !again.Equal(q) || again.String() != q.String() {
				t.Fatalf("canonical form %q re-parses to %q", q.String(), again.String())
			}
		})
	}
}

func TestParseTree(t *testing.T) {
	q := mustParse(t, `a b OR NOT c title:"d e"`)
	word := func(w string) *Node { return &Node{Op: OpTerm, Term: Term{Kind: Word, Words: []string{w}}} }
	want := &Node{Op: OpOr, Kids: []*Node{
		{Op: OpAnd, Kids: []*Node{word("a"), word("b")}},
		{Op: OpAnd, Kids: []*Node{
			{Op: OpNot, Kids: []*Node{word("c")}},
			{Op: OpTerm, Term: Term{Kind: Phrase, Scope: InTitle, Words: []string{"d", "e"}}},
		}},
	}}
	if !q.Root().Equal(want) {
		t.Fatalf("tree of %q = %s, want %s", q, q.Root(), want)
	}
}

func TestTerms(t *testing.T) {
	q := mustParse(t, `"north korea" (russia OR putin*) -sports title:russia russia`)
	var got []string
	for _, term := range q.Terms() {
		got = append(got, term.String())
	}
	want := []string{`"north korea"`, "russia", "putin*", "sports", "title:russia"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Terms = %q, want %q", got, want)
	}
	texts := []string{"north korea", "russia", "putin*", "sports", "russia"}
	for i, term := range q.Terms() {
		if term.Text() != texts[i] {
			t.Errorf("Terms()[%d].Text() = %q, want %q", i, term.Text(), texts[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a ", 256) + "b" // 513 characters
	tests := []struct {
		name, in, want string
	}{
		{"missing paren", "(russia", "missing ) at position 8"},
		{"missing paren after open", "(", "missing ) at position 2"},
		{"missing paren nested", "a (b (c OR d)", "missing ) at position 14"},
		{"unmatched close", "a)", "unexpected ) at position 2, there is no ( before it"},
		{"close first", ") a", "unexpected ) at position 1, there is no ( before it"},
		{"empty parens", "a ()", "empty ( ) at position 4, put words between the parentheses"},
		{"empty query", "", "the query is empty; type the words to look for, e.g. putin -sports"},
		{"blank query", "   \t ", "the query is empty; type the words to look for, e.g. putin -sports"},
		{"only negative", "-sports", "a query needs at least one word to look for; -sports alone would match everything"},
		{"only negatives", "NOT sports -football", "a query needs at least one word to look for; -sports -football alone would match everything"},
		{"negative or negative", "NOT a OR NOT b", "a query needs at least one word to look for; -a OR -b alone would match everything"},
		{"negative alternative", "putin OR -sports", "every OR alternative needs a word to look for; -sports alone would match everything"},
		{"negative alternative in and", "(a OR -b) (c OR -d)", "every OR alternative needs a word to look for; -b alone would match everything"},
		{"negative and alternative", "a OR (-b -c)", "every OR alternative needs a word to look for; -b -c alone would match everything"},
		{"negated conjunction", "-(a -b)", "a query needs a word that every match contains; -(a -b) would also match stories without any of its words"},
		{"or at start", "OR putin", "OR needs a word before it at position 1"},
		{"pipe at start", "| putin", "| needs a word before it at position 1"},
		{"and at start", "AND putin", "AND needs a word before it at position 1"},
		{"or at end", "putin OR", "OR needs a word after it at position 9"},
		{"and at end", "putin AND", "AND needs a word after it at position 10"},
		{"and or", "a AND OR b", "AND needs a word after it at position 7, not OR"},
		{"or or", "a OR OR b", "OR needs a word after it at position 6, not OR"},
		{"or close paren", "(a OR) b", "OR needs a word after it at position 6, not )"},
		{"not at end", "putin NOT", "NOT needs a word after it at position 10"},
		{"not before or", "a NOT OR b", "NOT needs a word after it at position 7, not OR"},
		{"minus before operator", "a -OR b", "- needs a word after it at position 4, not OR"},
		{"lone minus", "a - b", "- must be directly followed by a word at position 3, e.g. -sports"},
		{"minus at end", "a -", "- must be directly followed by a word at position 3, e.g. -sports"},
		{"unclosed quote", `"north korea`, `missing closing " at position 13`},
		{"empty quotes", `a ""`, `empty "" at position 3, put words between the quotes`},
		{"punctuation phrase", `a "..."`, `"..." has no letters or digits to look for at position 3, remove it`},
		{"punctuation word", "a ...", "... has no letters or digits to look for at position 3, remove it"},
		{"long echo shortened", `a "` + strings.Repeat("!", 50) + `"`, `"` + strings.Repeat("!", 40) + `…" has no letters or digits to look for at position 3, remove it`},
		{"echo on one line", "a \"!\r\n?\"", `"! ?" has no letters or digits to look for at position 3, remove it`},
		{"ampersands", "a && b", "&& is not an operator at position 3, use AND or just a space"},
		{"short prefix", "ab*", "ab* is too short at position 1, type at least 3 letters before *"},
		{"short prefix cjk", "北*", "北* is too short at position 1, type at least 3 letters before *"},
		{"bare star", "a *", "* must follow at least 3 letters at position 3, e.g. ukrain*"},
		{"star inside", "ukr*ine", "* can only end a word at position 4, e.g. ukrain*"},
		{"two stars", "ukra**", "* can only end a word at position 5, e.g. ukrain*"},
		{"star after phrase", `"north korea"*`, "* must follow at least 3 letters at position 14, e.g. ukrain*"},
		{"multiword prefix", "north-kor*", "north-kor* is more than one word at position 1, * can only end a single word, e.g. kor*"},
		{"unknown field", "foo:bar", "unknown field foo: at position 1, use title: or text:, or put the words in quotes"},
		{"field without word", "title: putin", `title: needs a word or "phrase" right after it at position 7, e.g. title:putin`},
		{"field at end", "putin title:", `title: needs a word or "phrase" right after it at position 13, e.g. title:putin`},
		{"field before operator", "title:OR", `title: needs a word or "phrase" right after it at position 7, e.g. title:putin`},
		{"field before minus", "title:-putin", "put - before the field at position 7, e.g. -title:sports"},
		{"two fields", "title:text:putin", "use only one field per word at position 7, e.g. title:putin"},
		{"field in field group", "title:(a text:b)", "text: cannot be used inside title:( ) at position 10"},
		{"too deep", "(((((((((a)))))))))", "too many nested parentheses at position 9, use at most 8"},
		{"too long", long, "the query is too long (513 characters), use at most 512 characters"},
		{"too many terms", strings.Repeat("w ", 32) + "x", "too many words at position 65, use at most 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in, DefaultLimits())
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error %q", tt.in, q, tt.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", tt.in, err)
			}
			if err.Error() != tt.want {
				t.Fatalf("Parse(%q) error\n got: %s\nwant: %s", tt.in, err, tt.want)
			}
			if strings.ContainsRune(err.Error(), '\n') {
				t.Fatalf("error message spans lines: %q", err)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	lim := Limits{MaxLength: 10, MaxTerms: 2, MaxDepth: 1}
	for _, tt := range []struct{ in, want string }{
		{"abcdefghijk", "the query is too long (11 characters), use at most 10 characters"},
		{"a b c", "too many words at position 5, use at most 2"},
		{"((a))", "too many nested parentheses at position 2, use at most 1"},
	} {
		_, err := Parse(tt.in, lim)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q, %+v) error = %v, want %q", tt.in, lim, err, tt.want)
		}
	}
	if _, err := Parse("a|b|c|d", Limits{MaxLength: 10}); err == nil ||
		err.Error() != "the query is too long written out in full (16 characters), use at most 10 characters" {
		t.Errorf("canonical form longer than MaxLength: error = %v", err)
	}
	for _, in := range []string{"a b", "(a OR b)"} {
		if _, err := Parse(in, lim); err != nil {
			t.Errorf("Parse(%q, %+v): %v", in, lim, err)
		}
	}
	// Zero limits mean the defaults.
	if _, err := Parse(strings.Repeat("w ", 32), Limits{}); err != nil {
		t.Errorf("Parse with zero Limits: %v", err)
	}
	if _, err := Parse(strings.Repeat("w ", 33), Limits{}); err == nil {
		t.Error("Parse with zero Limits accepted 33 terms")
	}
}

func TestSyntaxErrorWithoutPosition(t *testing.T) {
	e := &SyntaxError{Msg: "whole query"}
	if e.Error() != "whole query" {
		t.Fatalf("Error() = %q", e.Error())
	}
}

func TestParseCorpus(t *testing.T) {
	f, err := os.Open("testdata/queries.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q := mustParse(t, line)
		if again := mustParse(t, q.String()); !again.Equal(q) {
			t.Errorf("%q: canonical %q re-parses differently", line, q)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
