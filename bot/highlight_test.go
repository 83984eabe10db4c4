package bot

import (
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		text  string
		terms []string
		want  string // hits in [brackets]
	}{
		{"Russia and Ukraine", []string{"russia"}, "[Russia] and Ukraine"},
		{"North-Korea, north korea and North Korean", []string{"north korea"}, "[North-Korea], [north korea] and North Korean"},
		{"São Paulo floods", []string{"sao"}, "[São] Paulo floods"},
		{"Sanctions and sanctioned firms", []string{"sanction*"}, "[Sanctions] and [sanctioned] firms"},
		{"Россия и Украина", []string{"россия"}, "[Россия] и Украина"},
		{"no terms here", nil, "no terms here"},
		{"", []string{"x"}, ""},
		{"Putin, Putin!", []string{"putin"}, "[Putin], [Putin]!"},
	}
	for _, tt := range tests {
		var b strings.Builder
		var plain strings.Builder
		for _, s := range Highlight(tt.text, tt.terms) {
			plain.WriteString(s.Text)
			if s.Hit {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		if b.String() != tt.want {
			t.Errorf("Highlight(%q, %v) = %q, want %q", tt.text, tt.terms, b.String(), tt.want)
		}
		if plain.String() != tt.text {
			t.Errorf("spans of %q do not rebuild the text: %q", tt.text, plain.String())
		}
	}
}
