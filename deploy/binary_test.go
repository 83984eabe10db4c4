package deploy

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestBinaryServes checks the facts about the binary the deploy files rely
// on: it serves the health paths, and main.version can be stamped with
// -ldflags -X (a renamed variable would make the stamp a silent no-op).
func TestBinaryServes(t *testing.T) {
	lits := stringLiterals(t, repoRoot)
	for _, path := range []string{livenessPath, readinessPath} {
		found := false
		for _, l := range lits {
			if l == path || strings.HasSuffix(l, " "+path) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no Go source outside deploy/ serves %s (no string literal %q or \"GET %s\"), but the health checks and probes use it", path, path, path)
		}
	}

	fset := token.NewFileSet()
	pkgDir := filepath.Join(repoRoot, "cmd", "newsalert")
	entries, err := os.ReadDir(pkgDir)
	if err != nil {
		t.Fatal(err)
	}
	stamped := false
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(pkgDir, e.Name()), nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", e.Name(), err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if name.Name != "version" {
						continue
					}
					typed := false
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" {
						typed = true
					}
					if i < len(vs.Values) {
						if bl, ok := vs.Values[i].(*ast.BasicLit); ok && bl.Kind == token.STRING {
							typed = true
						}
					}
					stamped = typed
				}
			}
		}
	}
	if !stamped {
		t.Errorf("cmd/newsalert has no package-level string variable version: the Dockerfile's -ldflags \"-X main.version=${VERSION}\" would stamp nothing")
	}
}

// stringLiterals returns every string literal of the module's non-test Go
// files outside deploy/.
func stringLiterals(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "deploy", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil // another package mid-edit; its literals do not matter here
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					out = append(out, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadme checks deploy/README.md: every variable it names is one the
// binary reads, and the Discord invite asks for exactly the permissions
// the bot needs.
func TestReadme(t *testing.T) {
	const path = "README.md"
	text := readFile(t, path)
	names := regexp.MustCompile(`\b(?:NEWSALERT|TELEGRAM|DISCORD)_[A-Z0-9_]*[A-Z0-9]\b`).FindAllString(text, -1)
	slices.Sort(names)
	checkEnvNames(t, rel(path), slices.Compact(names))

	const want = discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks |
		discordgo.PermissionSendMessagesInThreads | discordgo.PermissionReadMessageHistory
	invites := regexp.MustCompile(`https://discord\.com/oauth2/authorize\?\S*`).FindAllString(text, -1)
	if len(invites) == 0 {
		t.Fatalf("%s: no Discord invite URL", rel(path))
	}
	for _, inv := range invites {
		u, err := url.Parse(inv)
		if err != nil {
			t.Errorf("%s: invite %s: %v", rel(path), inv, err)
			continue
		}
		q := u.Query()
		if p, err := strconv.ParseInt(q.Get("permissions"), 10, 64); err != nil || p != want {
			t.Errorf("%s: invite %s asks for permissions %q, want %d (Send Messages, Embed Links, Send Messages in Threads, Read Message History)", rel(path), inv, q.Get("permissions"), want)
		}
		if scopes := strings.Fields(q.Get("scope")); !slices.Contains(scopes, "bot") || !slices.Contains(scopes, "applications.commands") {
			t.Errorf("%s: invite %s has scopes %v, want bot and applications.commands", rel(path), inv, scopes)
		}
	}
	if !strings.Contains(text, strconv.FormatInt(want, 10)) {
		t.Errorf("%s: the permissions integer %d is not explained", rel(path), want)
	}
}
