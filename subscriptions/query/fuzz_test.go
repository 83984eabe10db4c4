package query

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "(russia", "a OR", "-sports", "NOT a OR NOT b", `"north korea" (russia OR putin) -sports`,
		"title:(a OR b) -text:c*", "ukrain*", "ab*", "北京 OR 東京", `"unterminated`, "a)", "((((((((((a))))))))))",
		"a|b||c", "foo:bar", "title:text:x", "--a", "a && b", "“smart” «quotes»", "x -(y -(z -w))",
	} {
		f.Add(s)
	}
	if fh, err := os.Open("testdata/queries.txt"); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
				f.Add(line)
			}
		}
		fh.Close()
	}
	empty := NewDoc("", "")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, DefaultLimits())
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error %T", s, err)
			}
			if se.Msg == "" || strings.ContainsAny(se.Msg, "\n\r") || se.Pos < 0 || se.Pos > len([]rune(s))+1 {
				t.Fatalf("Parse(%q): bad error %+v", s, se)
			}
			return
		}
		canon := q.String()
		again, err := Parse(canon, DefaultLimits())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not re-parse: %v", s, canon, err)
		}
		if again.String() != canon || !again.Equal(q) {
			t.Fatalf("Parse(%q) = %q, re-parsed as %q", s, canon, again)
		}
		if ok, _ := q.Eval(empty); ok {
			t.Fatalf("%q matches the empty story", canon)
		}
		// A story made of the query's own positive words exercises Eval.
		q.Eval(NewDoc(canon, s))
	})
}
