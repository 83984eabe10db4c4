package deploy

import (
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/internal/config"
)

// envFile is a KEY=VALUE file (.env, systemd EnvironmentFile, kustomize
// envs): Set holds the assignments, Documented the names of assignments
// written commented out ("# KEY=value"), with their values.
type envFile struct {
	Set        map[string]string
	Documented map[string]string
}

var (
	envLine          = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$`)
	commentedEnvLine = regexp.MustCompile(`^#\s?([A-Z][A-Z0-9_]*)=(.*)$`)
)

func parseEnvFile(t *testing.T, path string) envFile {
	t.Helper()
	f := envFile{Set: map[string]string{}, Documented: map[string]string{}}
	for i, line := range strings.Split(readFile(t, path), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			if m := commentedEnvLine.FindStringSubmatch(line); m != nil {
				f.Documented[m[1]] = unquote(m[2])
			}
		default:
			m := envLine.FindStringSubmatch(strings.TrimPrefix(line, "export "))
			if m == nil {
				t.Errorf("%s:%d: %q is not KEY=VALUE", rel(path), i+1, line)
				continue
			}
			if _, dup := f.Set[m[1]]; dup {
				t.Errorf("%s:%d: %s is set twice", rel(path), i+1, m[1])
			}
			f.Set[m[1]] = unquote(m[2])
		}
	}
	return f
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// checkEnvExample checks an example environment file: every name is read by
// the binary, every option is documented, and every value, set or shown in
// a comment, is one the binary accepts.
func checkEnvExample(t *testing.T, path string, alsoSet map[string]string) envFile {
	t.Helper()
	f := parseEnvFile(t, path)
	where := rel(path)
	for _, m := range []map[string]string{f.Set, f.Documented} {
		checkEnvNames(t, where, slices.Sorted(maps.Keys(m)))
	}
	for _, o := range config.Options() {
		_, set := f.Set[o.Env]
		_, doc := f.Documented[o.Env]
		_, other := alsoSet[o.Env]
		if !set && !doc && !other {
			t.Errorf("%s: %s is not documented (add it, commented out with its default, or set)", where, o.Env)
		}
	}
	vals := make(map[string]string)
	for k, v := range alsoSet {
		vals[k] = v
	}
	for k, v := range f.Set {
		vals[k] = v
	}
	checkEnvValues(t, where, vals)
	for k, v := range f.Documented {
		if v != "" {
			checkEnvValue(t, where+" (commented out)", k, v)
		}
	}
	return f
}

// checkEnvValue checks one value alone: only the binary's complaint about
// name itself counts, not what it would need alongside.
func checkEnvValue(t *testing.T, where, name, value string) {
	t.Helper()
	if envNameProblem(name) != "" || strings.HasSuffix(name, "_FILE") {
		return
	}
	lookup := func(n string) (string, bool) {
		if n == name {
			return value, true
		}
		return "", false
	}
	if _, err := config.Load(nil, lookup, io.Discard); err != nil && strings.HasPrefix(err.Error(), name+":") {
		t.Errorf("%s: the binary refuses %s=%s: %v", where, name, value, err)
	}
}
