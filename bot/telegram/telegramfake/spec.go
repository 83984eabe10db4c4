package telegramfake

//go:generate go run gen_spec.go -spec $TELEGRAM_BOT_API_SPEC

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// specField is one parameter of a method or one field of a type.
type specField struct {
	Name     string
	Types    []string // alternatives: "Integer", "String", "Array of MessageEntity", "LinkPreviewOptions"
	Required bool
}

// specObject is a method (Fields are its parameters, Returns its result) or a
// type (Fields, or Subtypes for a union such as ChatMember).
type specObject struct {
	Name     string
	Fields   []specField
	Subtypes []string
	Returns  []string
}

// spec answers questions about the Bot API specification: which methods
// exist (case-insensitively, as the Bot API treats method names) and whether
// a value has a given type.
type spec struct {
	methods map[string]specObject // by lower-case name
	types   map[string]specObject
}

func newSpec() *spec {
	ms := specMethods()
	s := &spec{methods: make(map[string]specObject, len(ms)), types: specTypes()}
	for name, m := range ms {
		s.methods[strings.ToLower(name)] = m
	}
	return s
}

// method looks a method up by name, ignoring case.
func (s *spec) method(name string) (specObject, bool) {
	m, ok := s.methods[strings.ToLower(name)]
	return m, ok
}

// paramError is a request the Bot API rejects with 400 before doing anything.
type paramError struct{ description string }

func (e *paramError) Error() string { return e.description }

// checkParams validates params (decoded JSON values, or strings when the
// request was form-encoded) against m's parameters and returns them with
// every known parameter converted to its canonical Go form: int64 for
// Integer, float64 for Float, bool, string, []any and map[string]any.
// Parameters the method does not know are dropped, as the Bot API ignores
// them.
func (s *spec) checkParams(m specObject, params map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(params))
	for _, f := range m.Fields {
		v, ok := params[f.Name]
		if !ok || v == nil {
			if f.Required {
				return nil, &paramError{description: "Bad Request: " + missingDescription(f.Name)}
			}
			continue
		}
		cv, err := s.convert(f.Types, v, 0)
		if err != nil {
			return nil, &paramError{description: fmt.Sprintf("Bad Request: can't parse %s: %v", f.Name, err)}
		}
		out[f.Name] = cv
	}
	return out, nil
}

// missingDescription mirrors the Bot API's wording for a missing parameter.
func missingDescription(name string) string {
	switch name {
	case "text":
		return "message text is empty"
	case "message_id":
		return "message identifier is not specified"
	default:
		return name + " is empty"
	}
}

const maxDepth = 32

// convert checks v against the alternatives in types and returns it in
// canonical form.
func (s *spec) convert(types []string, v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("value nested too deeply")
	}
	var firstErr error
	for _, t := range types {
		cv, err := s.convertOne(t, v, depth)
		if err == nil {
			return cv, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if len(types) > 1 {
		return nil, fmt.Errorf("expected %s", strings.Join(types, " or "))
	}
	return nil, firstErr
}

func (s *spec) convertOne(t string, v any, depth int) (any, error) {
	if elem, ok := strings.CutPrefix(t, "Array of "); ok {
		arr, ok := v.([]any)
		if !ok {
			str, isStr := v.(string)
			if !isStr || decodeJSON(str, &arr) != nil || arr == nil {
				return nil, fmt.Errorf("expected %s", t)
			}
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			ce, err := s.convert([]string{elem}, e, depth+1)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out[i] = ce
		}
		return out, nil
	}
	switch t {
	case "Integer":
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return n, nil
			}
		case string:
			if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("expected Integer")
	case "Float":
		switch x := v.(type) {
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f, nil
			}
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("expected Float")
	case "String":
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		}
		return nil, fmt.Errorf("expected String")
	case "Boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			switch strings.ToLower(x) {
			case "true", "1":
				return true, nil
			case "false", "0":
				return false, nil
			}
		case json.Number:
			switch x.String() {
			case "1":
				return true, nil
			case "0":
				return false, nil
			}
		}
		return nil, fmt.Errorf("expected Boolean")
	case "InputFile":
		// A file_id, a URL or attach://name; uploads arrive as multipart
		// parts, which the fake does not model beyond their name.
		if str, ok := v.(string); ok && str != "" {
			return str, nil
		}
		return nil, fmt.Errorf("expected InputFile")
	}
	typ, ok := s.types[t]
	if !ok {
		return nil, fmt.Errorf("unknown type %s", t)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		str, isStr := v.(string)
		if !isStr || decodeJSON(str, &obj) != nil || obj == nil {
			return nil, fmt.Errorf("expected %s object", t)
		}
	}
	if len(typ.Subtypes) > 0 {
		var firstErr error
		for _, st := range typ.Subtypes {
			cv, err := s.convertOne(st, obj, depth+1)
			if err == nil {
				return cv, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return nil, fmt.Errorf("not a %s: %w", t, firstErr)
	}
	out := make(map[string]any, len(obj))
	for _, f := range typ.Fields {
		fv, ok := obj[f.Name]
		if !ok || fv == nil {
			if f.Required {
				return nil, fmt.Errorf("%s: field %q is required", t, f.Name)
			}
			continue
		}
		cv, err := s.convert(f.Types, fv, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
		out[f.Name] = cv
	}
	return out, nil
}

// checkValue validates a result the fake is about to return (after a JSON
// round trip, so numbers are json.Number) against the spec's return types,
// strictly: strings must be strings and numbers numbers, as the real API
// answers. It keeps the fake honest about the shapes it emits.
func (s *spec) checkValue(types []string, v any) error {
	var firstErr error
	for _, t := range types {
		err := s.checkOne(t, v, 0)
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func (s *spec) checkOne(t string, v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nested too deeply")
	}
	if elem, ok := strings.CutPrefix(t, "Array of "); ok {
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("expected %s, got %T", t, v)
		}
		for i, e := range arr {
			if err := s.checkValueDepth([]string{elem}, e, depth+1); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		return nil
	}
	switch t {
	case "Integer":
		if n, ok := v.(json.Number); ok {
			if _, err := n.Int64(); err == nil {
				return nil
			}
		}
		return fmt.Errorf("expected Integer, got %v", v)
	case "Float":
		if n, ok := v.(json.Number); ok {
			if _, err := n.Float64(); err == nil {
				return nil
			}
		}
		return fmt.Errorf("expected Float, got %v", v)
	case "String":
		if _, ok := v.(string); ok {
			return nil
		}
		return fmt.Errorf("expected String, got %T", v)
	case "Boolean", "True":
		if _, ok := v.(bool); ok {
			return nil
		}
		return fmt.Errorf("expected Boolean, got %T", v)
	}
	typ, ok := s.types[t]
	if !ok {
		return fmt.Errorf("unknown type %s", t)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("expected %s object, got %T", t, v)
	}
	if len(typ.Subtypes) > 0 {
		var firstErr error
		for _, st := range typ.Subtypes {
			err := s.checkOne(st, obj, depth+1)
			if err == nil {
				return nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return fmt.Errorf("not a %s: %w", t, firstErr)
	}
	known := make(map[string]bool, len(typ.Fields))
	for _, f := range typ.Fields {
		known[f.Name] = true
		fv, ok := obj[f.Name]
		if !ok || fv == nil {
			if f.Required {
				return fmt.Errorf("%s: field %q is required", t, f.Name)
			}
			continue
		}
		if err := s.checkValueDepth(f.Types, fv, depth+1); err != nil {
			return fmt.Errorf("%s.%s: %w", t, f.Name, err)
		}
	}
	for name := range obj {
		if !known[name] {
			return fmt.Errorf("%s has no field %q", t, name)
		}
	}
	return nil
}

func (s *spec) checkValueDepth(types []string, v any, depth int) error {
	var firstErr error
	for _, t := range types {
		err := s.checkOne(t, v, depth)
		if err == nil {
			return nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// decodeJSON decodes one JSON value from s keeping numbers as json.Number,
// and rejects trailing data.
func decodeJSON(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}
