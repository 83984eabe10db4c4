package textnorm

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestDocPositions(t *testing.T) {
	d := NewDoc("North Korea: Kim meets Putin", "Putin met Kim. North-Korea's Kim, then Putin again.")
	tests := []struct {
		term  string
		title []int32
		text  []int32
	}{
		{"north", []int32{0}, []int32{3}},
		{"korea", []int32{1}, []int32{4}},
		{"kim", []int32{2}, []int32{2, 6}},
		{"putin", []int32{4}, []int32{0, 8}},
		{"met", nil, []int32{1}},
		{"s", nil, []int32{5}},
		{"again", nil, []int32{9}},
		{"meets", []int32{3}, nil},
	}
	for _, tt := range tests {
		i, ok := d.Lookup(tt.term)
		if !ok {
			t.Fatalf("Lookup(%q) missing", tt.term)
		}
		if d.Term(i) != tt.term {
			t.Errorf("Term(%d) = %q, want %q", i, d.Term(i), tt.term)
		}
		if got := d.Positions(i, Title); !slices.Equal(got, tt.title) && len(got)+len(tt.title) > 0 {
			t.Errorf("%q title positions = %v, want %v", tt.term, got, tt.title)
		}
		if got := d.Positions(i, Text); !slices.Equal(got, tt.text) && len(got)+len(tt.text) > 0 {
			t.Errorf("%q text positions = %v, want %v", tt.term, got, tt.text)
		}
		if d.In(i, Title) != (len(tt.title) > 0) || d.In(i, Text) != (len(tt.text) > 0) {
			t.Errorf("%q In(title)=%v In(text)=%v", tt.term, d.In(i, Title), d.In(i, Text))
		}
	}
	if _, ok := d.Lookup("moscow"); ok {
		t.Error("Lookup(moscow) found a term the story does not contain")
	}
	if d.Len(Title) != 5 || d.Len(Text) != 10 {
		t.Errorf("Len = %d, %d; want 5, 10", d.Len(Title), d.Len(Text))
	}
	if d.NumTerms() != 9 {
		t.Errorf("NumTerms = %d, want 9", d.NumTerms())
	}
}

func TestDocEmpty(t *testing.T) {
	d := NewDoc("", "  -- ")
	if d.NumTerms() != 0 || d.Len(Title) != 0 || d.Len(Text) != 0 {
		t.Fatalf("empty doc has %d terms", d.NumTerms())
	}
	if _, ok := d.Lookup(""); ok {
		t.Fatal("Lookup of empty term succeeded")
	}
}

// checkDoc verifies that a Doc agrees with Tokens on both fields.
func checkDoc(t *testing.T, title, text string) {
	t.Helper()
	d := NewDoc(title, text)
	for f, s := range map[Field]string{Title: title, Text: text} {
		toks := Tokens(s)
		stream := d.Stream(f)
		if len(stream) != len(toks) || d.Len(f) != len(toks) {
			t.Fatalf("%v: stream has %d tokens, Tokens has %d", f, len(stream), len(toks))
		}
		for p, tok := range toks {
			if d.Term(int(stream[p])) != tok.Term {
				t.Fatalf("%v position %d: doc term %q, token %q", f, p, d.Term(int(stream[p])), tok.Term)
			}
			i, ok := d.Lookup(tok.Term)
			if !ok || int32(i) != stream[p] {
				t.Fatalf("Lookup(%q) = %d, %v; stream says %d", tok.Term, i, ok, stream[p])
			}
			if _, found := slices.BinarySearch(d.Positions(i, f), int32(p)); !found {
				t.Fatalf("%v: positions of %q lack %d", f, tok.Term, p)
			}
		}
	}
	total := 0
	for i := 0; i < d.NumTerms(); i++ {
		for _, f := range []Field{Title, Text} {
			ps := d.Positions(i, f)
			if !slices.IsSorted(ps) {
				t.Fatalf("positions of %q in %v not sorted: %v", d.Term(i), f, ps)
			}
			for _, p := range ps {
				if int(d.Stream(f)[p]) != i {
					t.Fatalf("position %d of %q in %v holds term %q", p, d.Term(i), f, d.Term(int(d.Stream(f)[p])))
				}
			}
			total += len(ps)
		}
	}
	if total != d.Len(Title)+d.Len(Text) {
		t.Fatalf("positions total %d, tokens %d", total, d.Len(Title)+d.Len(Text))
	}
}

func TestDocMatchesTokens(t *testing.T) {
	for _, name := range []string{"testdata/story_en.txt", "testdata/story_multi.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		title, text, _ := strings.Cut(string(b), "\n")
		t.Run(name, func(t *testing.T) { checkDoc(t, title, text) })
	}
}

func TestDocMultilingualLookups(t *testing.T) {
	b, err := os.ReadFile("testdata/story_multi.txt")
	if err != nil {
		t.Fatal(err)
	}
	d := NewDoc("", string(b))
	for _, q := range []string{"Путин", "путин", "ПУТИН", "Ёмкость", "πουτιν", "Πούτιν", "οδυσσευς", "بوتين", "푸틴", "Восточный"} {
		if _, ok := d.Lookup(Normalize(q)); !ok {
			t.Errorf("story lacks %q (normalised %q)", q, Normalize(q))
		}
	}
	for _, q := range []string{"普", "京", "プ", "金"} {
		if _, ok := d.Lookup(q); !ok {
			t.Errorf("story lacks CJK character %q", q)
		}
	}
}
