package textnorm

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func terms(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only punctuation", " -- ... !? ", nil},
		{"ascii words", "russia ukraine", []string{"russia", "ukraine"}},
		{"case folded", "Zelenskyy ZELENSKYY zelenskyy", []string{"zelenskyy", "zelenskyy", "zelenskyy"}},
		{"accents removed", "São Paulo Ñandú café", []string{"sao", "paulo", "nandu", "cafe"}},
		{"stacked accents", "ǖ Ǘ", []string{"u", "u"}},
		{"sharp s folds to ss", "Straße STRASSE straẞe", []string{"strasse", "strasse", "strasse"}},
		{"hyphen splits", "North-Korea", []string{"north", "korea"}},
		{"punctuation between words", "north, korea; (north) korea.", []string{"north", "korea", "north", "korea"}},
		{"apostrophes split", "Kim's don't l'Ukraine don’t O\u02BCBrien", []string{"kim", "s", "don", "t", "l", "ukraine", "don", "t", "o", "brien"}},
		{"digits", "COVID-19 in 2024: 3.5%", []string{"covid", "19", "in", "2024", "3", "5"}},
		{"compatibility forms", "ﬁnal Ｒｕｓｓｉａ x² ½", []string{"final", "russia", "x2", "1", "2"}},
		{"soft hyphen and zero width joiner", "Zelens\u00adkyy a\u200db", []string{"zelenskyy", "ab"}},
		{"cyrillic", "Путин и Зеленский встретились", []string{"путин", "и", "зеленскии", "встретились"}},
		{"cyrillic yo keeps base letter", "Ёлка ёлка", []string{"елка", "елка"}},
		{"greek final sigma", "ΟΔΥΣΣΕΥΣ Οδυσσεύς", []string{"οδυσσευσ", "οδυσσευσ"}},
		{"greek accents", "Αθήνα ΑΘΗΝΑ", []string{"αθηνα", "αθηνα"}},
		{"arabic with harakat and tatweel", "مُحَمَّد محمد مـحـمـد", []string{"محمد", "محمد", "محمد"}},
		{"arabic presentation forms", "\uFEFB", []string{"لا"}},
		{"hebrew niqqud", "שָׁלוֹם שלום", []string{"שלום", "שלום"}},
		{"chinese one char per token", "北京大学", []string{"北", "京", "大", "学"}},
		{"chinese mixed with latin", "在Beijing举行", []string{"在", "beijing", "举", "行"}},
		{"japanese kana", "トランプ大統領", []string{"ト", "ラ", "ン", "プ", "大", "統", "領"}},
		{"kana keep voicing", "ガス", []string{"ガ", "ス"}},
		{"decomposed kana composed", "か\u3099", []string{"が"}},
		{"halfwidth katakana", "ｶﾞｽ", []string{"ガ", "ス"}},
		{"prolonged sound mark", "コーヒー", []string{"コ", "ー", "ヒ", "ー"}},
		{"square compatibility ideograph", "㍿", []string{"株", "式", "会", "社"}},
		{"hangul words", "대한민국 서울", []string{"대한민국", "서울"}},
		{"hangul jamo composed", "\u1112\u1161\u11AB", []string{"한"}},
		{"thai per character", "กรุงเทพ", []string{"ก", "ร", "ง", "เ", "ท", "พ"}},
		{"devanagari", "नमस्ते भारत", []string{"नमसत", "भारत"}},
		{"turkish dotted and dotless i", "İstanbul ıstanbul", []string{"istanbul", "istanbul"}},
		{"invalid utf8 separates", "ab\xffcd", []string{"ab", "cd"}},
		{"emoji separate", "fire🔥alarm", []string{"fire", "alarm"}},
		{"underscore separates", "snake_case", []string{"snake", "case"}},
		{"arabic ligature with spaces", "ﷺ", []string{"صلى", "الله", "عليه", "وسلم"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := terms(Tokens(tt.in))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenPositions(t *testing.T) {
	toks := Tokens("Kim's Seoul-trip: 北京!")
	want := []Token{{"kim", 0}, {"s", 1}, {"seoul", 2}, {"trip", 3}, {"北", 4}, {"京", 5}}
	if !slices.Equal(toks, want) {
		t.Fatalf("Tokens = %v, want %v", toks, want)
	}
}

func TestAppendTokensKeepsDst(t *testing.T) {
	dst := Tokens("first")
	dst = AppendTokens(dst, "Second third")
	want := []Token{{"first", 0}, {"second", 0}, {"third", 1}}
	if !slices.Equal(dst, want) {
		t.Fatalf("AppendTokens = %v, want %v", dst, want)
	}
}

func TestVerbatimTermsShareInput(t *testing.T) {
	in := "plain words only"
	toks := Tokens(in)
	for _, tok := range toks {
		if !strings.Contains(in, tok.Term) {
			t.Fatalf("token %q not taken from the input", tok.Term)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = AppendTokens(toks[:0], in) }); n != 0 {
		t.Errorf("AppendTokens on lower-case ASCII into a large enough dst: %v allocations, want 0", n)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Zelenskyy", "zelenskyy"},
		{"São", "sao"},
		{"Straße", "strasse"},
		{"North-Korea", "north korea"},
		{"north korea", "north korea"},
		{"北京", "北京"},
		{"北京 University", "北京 university"},
		{"Москва", "москва"},
		{"...", ""},
		{"", ""},
		{"トランプ", "トランプ"},
		{"ｶﾞｽ", "ガス"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = Normalize("putin") }); n != 0 {
		t.Errorf("Normalize of a normalised word: %v allocations, want 0", n)
	}
}

func TestJoinTerms(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"putin"}, "putin"},
		{[]string{"north", "korea"}, "north korea"},
		{[]string{"北", "京"}, "北京"},
		{[]string{"北", "京", "university", "大", "学"}, "北京 university 大学"},
	}
	for _, tt := range tests {
		if got := JoinTerms(tt.in); got != tt.want {
			t.Errorf("JoinTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := terms(Tokens(tt.want)); !slices.Equal(got, tt.in) && len(tt.in) > 0 {
			t.Errorf("Tokens(JoinTerms(%q)) = %q", tt.in, got)
		}
	}
}

func TestFieldString(t *testing.T) {
	for f, want := range map[Field]string{Title: "title", Text: "text", 7: "field(7)"} {
		if got := f.String(); got != want {
			t.Errorf("Field(%d).String() = %q, want %q", f, got, want)
		}
	}
}

// scanTerms tokenises s with a reused scanner (whose rune cache stays
// valid across strings), returning the terms appended to dst.
func scanTerms(sc *scanner, dst []string, s string) []string {
	sc.reset(s)
	for sc.next() {
		if sc.verbatim {
			dst = append(dst, sc.src)
		} else {
			dst = append(dst, string(sc.buf))
		}
	}
	return dst
}

// TestEveryRuneIdempotent checks, for every Unicode code point alone, inside
// a word, doubled and repeated across punctuation, that normalising twice
// changes nothing and that terms are well formed: the exhaustive
// counterpart of FuzzTokens for the case folding and decomposition tables.
func TestEveryRuneIdempotent(t *testing.T) {
	sc := scanner{useCache: true}
	var got, again []string
	var joined []byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(r)
		for _, s := range [...]string{c, "a" + c + "b", c + c, c + "!" + c} {
			got = scanTerms(&sc, got[:0], s)
			joined = AppendJoin(joined[:0], got)
			again = scanTerms(&sc, again[:0], string(joined))
			if !slices.Equal(got, again) {
				t.Fatalf("U+%04X in %q: Tokens = %q, Tokens(JoinTerms) = %q", r, s, got, again)
			}
			for _, term := range got {
				if term == "" || strings.ContainsRune(term, ' ') || !utf8.ValidString(term) {
					t.Fatalf("U+%04X: bad term %q", r, term)
				}
			}
		}
	}
}
