package discordfake

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/newsalert/newsalert/bot/discord/discordfake/internal/specsubset"
)

// openAPISubset is generated from Discord's OpenAPI description by
// internal/specgen; TestSubsetMatchesSpec checks that it is current.
//
//go:embed openapi_subset.json
var openAPISubset []byte

// spec is the parsed subset: operations and component schemas. It is built
// once per Server and never changed afterwards.
type spec struct {
	ops      map[string]specsubset.OperationSpec
	bodies   map[string]any // operation key -> decoded body schema
	schemas  map[string]any
	patterns map[string]*regexp.Regexp
}

func loadSpec() (*spec, error) {
	var sub specsubset.Subset
	if err := json.Unmarshal(openAPISubset, &sub); err != nil {
		return nil, fmt.Errorf("parse embedded openapi subset: %w", err)
	}
	s := &spec{
		ops:      sub.Operations,
		bodies:   map[string]any{},
		schemas:  map[string]any{},
		patterns: map[string]*regexp.Regexp{},
	}
	for name, raw := range sub.Schemas {
		v, err := decodeJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", name, err)
		}
		s.schemas[name] = v
		if err := s.compilePatterns(v); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
	}
	for key, op := range sub.Operations {
		if len(op.Body) == 0 {
			continue
		}
		v, err := decodeJSON(op.Body)
		if err != nil {
			return nil, fmt.Errorf("parse body schema of %s: %w", key, err)
		}
		s.bodies[key] = v
		if err := s.compilePatterns(v); err != nil {
			return nil, fmt.Errorf("body schema of %s: %w", key, err)
		}
	}
	return s, nil
}

func (s *spec) compilePatterns(v any) error {
	switch t := v.(type) {
	case map[string]any:
		if p, ok := t["pattern"].(string); ok {
			if _, done := s.patterns[p]; !done {
				re, err := regexp.Compile(p)
				if err != nil {
					return fmt.Errorf("compile pattern %q: %w", p, err)
				}
				s.patterns[p] = re
			}
		}
		for _, x := range t {
			if err := s.compilePatterns(x); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range t {
			if err := s.compilePatterns(x); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeJSON decodes with json.Number so that integers and floats can be told
// apart, and rejects trailing data.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// FieldError is one entry of Discord's "Invalid Form Body" error tree.
type FieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// formErrors collects field errors by JSON path ("embeds.0.title").
type formErrors map[string][]FieldError

func (f formErrors) add(path []string, code, msg string) {
	k := strings.Join(path, ".")
	f[k] = append(f[k], FieldError{Code: code, Message: msg})
}

func (f formErrors) count() int {
	n := 0
	for _, e := range f {
		n += len(e)
	}
	return n
}

// tree renders the errors the way Discord nests them:
// {"embeds": {"0": {"title": {"_errors": [...]}}}}.
func (f formErrors) tree() map[string]any {
	root := map[string]any{}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		node := root
		if k != "" {
			for _, part := range strings.Split(k, ".") {
				child, ok := node[part].(map[string]any)
				if !ok {
					child = map[string]any{}
					node[part] = child
				}
				node = child
			}
		}
		errs, _ := node["_errors"].([]FieldError)
		node["_errors"] = append(errs, f[k]...)
	}
	return root
}
