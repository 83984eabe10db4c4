package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ignorePattern is one line of .dockerignore.
type ignorePattern struct {
	re     *regexp.Regexp
	negate bool
	text   string
}

// parseDockerignore compiles .dockerignore with Docker's rules: paths are
// relative to the context root, * and ? stay within a path element, **
// spans any number of them, ! re-includes, and the last match wins.
func parseDockerignore(t *testing.T, path string) []ignorePattern {
	t.Helper()
	var out []ignorePattern
	for i, line := range strings.Split(readFile(t, path), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := ignorePattern{text: line}
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			p.negate, line = true, rest
		}
		line = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(line)), "/")
		var b strings.Builder
		b.WriteString("^")
		for j := 0; j < len(line); j++ {
			switch c := line[j]; {
			case c == '*' && j+1 < len(line) && line[j+1] == '*':
				j++
				if j+1 < len(line) && line[j+1] == '/' {
					j++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			case c == '*':
				b.WriteString("[^/]*")
			case c == '?':
				b.WriteString("[^/]")
			case c == '\\' && j+1 < len(line):
				j++
				b.WriteString(regexp.QuoteMeta(string(line[j])))
			case c == '[':
				end := strings.IndexByte(line[j:], ']')
				if end < 0 {
					t.Fatalf("%s:%d: unterminated [ in %q", rel(path), i+1, p.text)
				}
				b.WriteString(line[j : j+end+1])
				j += end
			default:
				b.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		b.WriteString("$")
		re, err := regexp.Compile(b.String())
		if err != nil {
			t.Fatalf("%s:%d: pattern %q: %v", rel(path), i+1, p.text, err)
		}
		p.re = re
		out = append(out, p)
	}
	return out
}

// ignored reports whether path (slash-separated, relative to the context)
// is left out of the build context, and by which pattern.
func ignored(patterns []ignorePattern, path string) (bool, string) {
	excluded, by := false, ""
	parts := strings.Split(path, "/")
	for _, p := range patterns {
		for i := len(parts); i > 0; i-- {
			if p.re.MatchString(strings.Join(parts[:i], "/")) {
				excluded, by = !p.negate, p.text
				break
			}
		}
	}
	return excluded, by
}

func TestDockerignoreMatcher(t *testing.T) {
	f := filepath.Join(t.TempDir(), ".dockerignore")
	lines := "# comment\ndata\n**/*.env\n*.md\n!README.md\n/deploy/\na?c\n**/testdata\n"
	if err := os.WriteFile(f, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	patterns := parseDockerignore(t, f)
	tests := []struct {
		path string
		want bool
	}{
		{"data", true}, {"data/newsalert.snapshot", true}, {"internal/data/x.go", false},
		{"cfg/.env", true}, {"cfg/env", false}, {"deploy/secret.env", true}, {"secret.env", true},
		{"NOTES.md", true}, {"README.md", false}, {"docs/README.md", false},
		{"deploy/compose.yaml", true}, {"abc", true}, {"abbc", false},
		{"sources/feed/testdata/x.xml", true}, {"testdata/feeds/a.xml", true}, {"go.mod", false},
	}
	for _, tt := range tests {
		if got, by := ignored(patterns, tt.path); got != tt.want {
			t.Errorf("ignored(%q) = %v (by %q), want %v", tt.path, got, by, tt.want)
		}
	}
}

// TestDockerignore checks both directions: everything the build reads is
// in the context, and secrets and data never are.
func TestDockerignore(t *testing.T) {
	path := filepath.Join(repoRoot, ".dockerignore")
	patterns := parseDockerignore(t, path)
	where := rel(path)

	for _, p := range []string{
		".git/config", ".env", "deploy/.env", "deploy/secrets/telegram_bot_token",
		"deploy/kubernetes/overlays/example/secret.env", "deploy/kubernetes/base/deployment.yaml",
		"data/newsalert.snapshot", "newsalert", "bot/bot.test",
	} {
		if ok, _ := ignored(patterns, p); !ok {
			t.Errorf("%s: %s is sent to the build context; leave it out (secrets, data or nothing the build needs)", where, p)
		}
	}

	needed := []string{"go.mod", "go.sum"}
	if _, err := exec.LookPath("go"); err != nil {
		t.Logf("go not in PATH: only go.mod and go.sum are checked against %s", where)
	} else {
		// Exactly the files `go build ./cmd/newsalert` reads, embeds included.
		c := exec.Command("go", "list", "-e", "-deps", "-f",
			`{{if .Module}}{{if .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`,
			"./cmd/newsalert")
		c.Dir = repoRoot
		c.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := c.Output()
		if err != nil {
			t.Fatalf("go list ./cmd/newsalert: %v", err)
		}
		root, _ := filepath.Abs(repoRoot)
		for _, f := range strings.Fields(string(out)) {
			r, err := filepath.Rel(root, f)
			if err != nil {
				t.Fatal(err)
			}
			needed = append(needed, filepath.ToSlash(r))
		}
		if len(needed) < 10 {
			t.Fatalf("go list found %d files of the binary: %v", len(needed), needed)
		}
	}
	for _, p := range needed {
		if ok, by := ignored(patterns, p); ok {
			t.Errorf("%s: pattern %q leaves %s out of the build context, but go build ./cmd/newsalert reads it", where, by, p)
		}
	}
}
