package query

import (
	"fmt"
	"slices"
	"testing"
)

func hitsString(hits []Hit) string {
	s := ""
	for i, h := range hits {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s@%v", h.Term, h.Field)
	}
	return s
}

func TestEval(t *testing.T) {
	tests := []struct {
		name        string
		query       string
		title, text string
		match       bool
		hits        string // "term@field ..." when match
	}{
		{"word in text", "putin", "", "Putin spoke on Tuesday.", true, "putin@text"},
		{"word in title and text", "putin", "Putin speaks", "Putin spoke.", true, "putin@title putin@text"},
		{"word absent", "putin", "Biden speaks", "Biden spoke.", false, ""},
		{"whole words only", "put", "", "Putin spoke.", false, ""},
		{"case insensitive", "PUTIN", "", "putin", true, "putin@text"},
		{"accent insensitive", "Sao Paulo", "", "Flooding in São Paulo", true, "sao@text paulo@text"},
		{"accent in query", "São", "", "SAO PAULO", true, "sao@text"},
		{"sharp s", "Straße", "", "STRASSE gesperrt", true, "strasse@text"},
		{"and both", "russia ukraine", "", "Russia and Ukraine", true, "russia@text ukraine@text"},
		{"and one missing", "russia ukraine", "", "Russia and Belarus", false, ""},
		{"or either", "russia OR putin", "", "Putin said", true, "putin@text"},
		{"or none", "russia OR putin", "", "Biden said", false, ""},
		{"or reports every present alternative", "russia OR putin", "", "Putin of Russia", true, "russia@text putin@text"},
		{"not absent", "russia -sports", "", "Russia news", true, "russia@text"},
		{"not present", "russia -sports", "", "Russia sports news", false, ""},
		{"not group", "russia NOT (football OR hockey)", "", "Russia hockey", false, ""},
		{"not group absent", "russia NOT (football OR hockey)", "", "Russia tennis", true, "russia@text"},
		{"not of and, one present", "russia -(football club)", "", "Russia football", true, "russia@text"},
		{"not of and, both present", "russia -(football club)", "", "Russia football club", false, ""},
		{"precedence and over or", "a b OR c", "", "c", true, "c@text"},
		{"precedence and over or, a only", "a b OR c", "", "a", false, ""},
		{"precedence with parens", "a (b OR c)", "", "c", false, ""},
		{"phrase consecutive", `"north korea"`, "", "North Korea fired", true, "north korea@text"},
		{"phrase across hyphen", `"north korea"`, "", "North-Korea's missile", true, "north korea@text"},
		{"phrase across comma", `"north korea"`, "", "north, korea", true, "north korea@text"},
		{"phrase not consecutive", `"north korea"`, "", "North and South Korea", false, ""},
		{"phrase wrong order", `"north korea"`, "", "Korea north", false, ""},
		{"phrase not across fields", `"north korea"`, "News from the north", "Korea fired", false, ""},
		{"phrase repeated word", `"a a b"`, "", "a a a b", true, "a a b@text"},
		{"hyphenated query word", "north-korea", "", "North Korea", true, "north korea@text"},
		{"apostrophe query word", "kim's", "", "Kim’s train", true, "kim s@text"},
		{"possessive matches word", "kim", "", "Kim's train", true, "kim@text"},
		{"prefix", "ukrain*", "", "Ukrainian forces", true, "ukrain*@text"},
		{"prefix equals word", "ukrain*", "", "ukrain", true, "ukrain*@text"},
		{"prefix not infix", "krain*", "", "Ukraine", false, ""},
		{"prefix accent", "zelens*", "", "Zelenskyy and Zélenski", true, "zelens*@text"},
		{"prefix in title only", "title:ukrain*", "Ukraine war", "ukrainian", true, "ukrain*@title"},
		{"title scope", "title:putin", "Putin speaks", "", true, "putin@title"},
		{"title scope misses text", "title:putin", "Speech", "Putin spoke", false, ""},
		{"text scope", "text:putin", "Putin speaks", "Putin spoke", true, "putin@text"},
		{"title phrase", `title:"north korea"`, "North Korea", "north korea", true, "north korea@title"},
		{"negated title", "putin -title:opinion", "Opinion: Putin", "putin", false, ""},
		{"negated title, opinion in text", "putin -title:opinion", "Putin", "an opinion", true, "putin@title"},
		{"hits deduplicated", "putin title:putin", "Putin", "Putin", true, "putin@title putin@text"},
		{"negated group excludes", "a -(b -c)", "", "a b", false, ""},
		{"negated terms are not hits", "a -(b -c)", "", "a b c", true, "a@text c@text"},
		{"doubly negated term is a hit", "a -(b -c)", "", "a c", true, "a@text c@text"},
		{"cyrillic", "Зеленский", "", "ЗЕЛЕНСКИЙ заявил", true, "зеленскии@text"},
		{"greek final sigma", "Οδυσσεύς", "", "ΟΔΥΣΣΕΥΣ", true, "οδυσσευσ@text"},
		{"arabic", "بوتين", "", "قال بوتين", true, "بوتين@text"},
		{"arabic harakat", "مُحَمَّد", "", "محمد", true, "محمد@text"},
		{"chinese phrase", "北京", "", "他在北京工作", true, "北京@text"},
		{"chinese not consecutive", "北京", "", "北方的京城", false, ""},
		{"japanese", "トランプ", "", "トランプ大統領が", true, "トランプ@text"},
		{"japanese voicing distinguishes", "ガス", "", "カス", false, ""},
		{"korean", "서울", "", "서울 시장", true, "서울@text"},
		{"numbers", "covid-19", "", "COVID-19 cases", true, "covid 19@text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustParse(t, tt.query)
			match, hits := q.Eval(NewDoc(tt.title, tt.text))
			if match != tt.match {
				t.Fatalf("%q on (%q, %q): match = %v, want %v", tt.query, tt.title, tt.text, match, tt.match)
			}
			if got := hitsString(hits); got != tt.hits {
				t.Fatalf("%q on (%q, %q): hits = %q, want %q", tt.query, tt.title, tt.text, got, tt.hits)
			}
		})
	}
}

func TestEvalNil(t *testing.T) {
	var q *Query
	if ok, hits := q.Eval(NewDoc("a", "b")); ok || hits != nil {
		t.Fatal("nil query matched")
	}
	if ok, _ := (&Query{}).Eval(NewDoc("a", "b")); ok {
		t.Fatal("zero query matched")
	}
	if ok, _ := mustParse(t, "a").Eval(nil); ok {
		t.Fatal("nil doc matched")
	}
}

func TestEvalEmptyDocNeverMatches(t *testing.T) {
	empty := NewDoc("", "")
	for _, s := range []string{"a", "a -b", "a OR b", `"a b" OR ccc*`, "-(-a OR -b)", "(a OR -b) c"} {
		if ok, _ := mustParse(t, s).Eval(empty); ok {
			t.Errorf("%q matches the empty story", s)
		}
	}
}

func TestHitsAreSets(t *testing.T) {
	q := mustParse(t, "putin OR (putin russia) OR title:putin")
	_, hits := q.Eval(NewDoc("Putin", "Putin Russia"))
	want := []Hit{{"putin", Title}, {"putin", Text}, {"russia", Text}}
	if !slices.Equal(hits, want) {
		t.Fatalf("hits = %v, want %v", hits, want)
	}
}
