package deploy

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlDocs decodes every document of a YAML file into nodes.
func yamlDocs(t *testing.T, path string) []*yaml.Node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(readFile(t, path))))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: document %d is not valid YAML: %v", rel(path), len(docs)+1, err)
		}
		docs = append(docs, &n)
	}
}

// yaml11Bool matches the plain scalars YAML 1.1 parsers (Kubernetes'
// sigs.k8s.io/yaml, PyYAML) read as booleans while YAML 1.2 reads strings.
var yaml11Bool = regexp.MustCompile(`^(?i:y|yes|n|no|on|off)$`)

// checkAmbiguousScalars fails for plain yes/no/on/off scalars: "off" is a
// string to one parser and false to another, so NEWSALERT_CONSOLE: off or
// --appendonly yes must be quoted.
func checkAmbiguousScalars(t *testing.T, where string, n *yaml.Node) {
	t.Helper()
	if n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == "!!str" && yaml11Bool.MatchString(n.Value) {
		t.Errorf("%s:%d: plain %s is a boolean to YAML 1.1 parsers (Kubernetes, PyYAML); quote it: %q", where, n.Line, n.Value, n.Value)
	}
	for _, c := range n.Content {
		checkAmbiguousScalars(t, where, c)
	}
}

// deployFiles lists the files under this directory whose names match one
// of the patterns.
func deployFiles(t *testing.T, patterns ...string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, p := range patterns {
			if ok, _ := filepath.Match(p, d.Name()); ok && !d.IsDir() {
				out = append(out, path)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestYAMLFilesParse(t *testing.T) {
	files := deployFiles(t, "*.yaml", "*.yml")
	if len(files) < 10 {
		t.Fatalf("found %d YAML files under deploy/, want the Compose and Kubernetes files: %v", len(files), files)
	}
	for _, f := range files {
		docs := yamlDocs(t, f)
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", rel(f))
		}
		for _, d := range docs {
			var v any
			if err := d.Decode(&v); err != nil {
				t.Errorf("%s:%d: %v", rel(f), d.Line, err)
			}
			checkAmbiguousScalars(t, rel(f), d)
		}
	}
}
