package discordfake

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDepth bounds recursion on hostile input.
const maxDepth = 48

func (s *spec) validate(v, schema any, path []string, errs formErrors, depth int) {
	if depth > maxDepth {
		errs.add(path, "BASE_TYPE_MAX_DEPTH", "Value is nested too deeply.")
		return
	}
	sch, ok := schema.(map[string]any)
	if !ok {
		return
	}
	if ref, ok := sch["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if target, ok := s.schemas[name]; ok {
			s.validate(v, target, path, errs, depth+1)
		}
	}
	if all, ok := sch["allOf"].([]any); ok {
		for _, sub := range all {
			s.validate(v, sub, path, errs, depth+1)
		}
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		alts, ok := sch[kw].([]any)
		if !ok {
			continue
		}
		s.validateUnion(v, alts, path, errs, depth)
	}
	if t, ok := sch["type"]; ok {
		if !typeMatches(v, t) {
			if v == nil {
				errs.add(path, "BASE_TYPE_REQUIRED", "This field is required")
			} else {
				code, msg := typeError(v, t)
				errs.add(path, code, msg)
			}
			return
		}
	}
	if v == nil {
		return
	}
	if enum, ok := sch["enum"].([]any); ok && !inEnum(v, enum) {
		errs.add(path, "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of %s.", enumList(enum)))
	}
	if c, ok := sch["const"]; ok && !inEnum(v, []any{c}) {
		errs.add(path, "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of %s.", enumList([]any{c})))
	}
	switch t := v.(type) {
	case string:
		s.validateString(t, sch, path, errs)
	case json.Number:
		validateNumber(t, sch, path, errs)
	case []any:
		s.validateArray(t, sch, path, errs, depth)
	case map[string]any:
		s.validateObject(t, sch, path, errs, depth)
	}
}

// validateUnion accepts v when one alternative accepts it; otherwise it
// reports the errors of the alternative that came closest.
func (s *spec) validateUnion(v any, alts []any, path []string, errs formErrors, depth int) {
	if allConst(alts) {
		if !inEnum(v, constsOf(alts)) && v != nil {
			errs.add(path, "BASE_TYPE_CHOICES", fmt.Sprintf("Value must be one of %s.", enumList(constsOf(alts))))
		}
		return
	}
	// Only alternatives of v's type compete (so that {"type": "null"} does
	// not win the error report for an object); if none is, report the type.
	var typed []any
	for _, alt := range alts {
		if s.shallowTypeOK(v, alt, 0) {
			typed = append(typed, alt)
		}
	}
	if len(typed) == 0 {
		code, msg := typeError(v, s.firstType(alts))
		errs.add(path, code, msg)
		return
	}
	var best formErrors
	for _, alt := range typed {
		e := formErrors{}
		s.validate(v, alt, path, e, depth+1)
		if len(e) == 0 {
			return
		}
		if best == nil || e.count() < best.count() {
			best = e
		}
	}
	for k, list := range best {
		errs[k] = append(errs[k], list...)
	}
}

// shallowTypeOK reports whether v has the type alt declares (following
// $ref, and allOf parts), without looking deeper.
func (s *spec) shallowTypeOK(v, alt any, depth int) bool {
	m, ok := alt.(map[string]any)
	if !ok || depth > 8 {
		return true
	}
	if t, ok := m["type"]; ok && !typeMatches(v, t) {
		return false
	}
	if c, ok := m["const"]; ok && !inEnum(v, []any{c}) {
		return false
	}
	if ref, ok := m["$ref"].(string); ok {
		if target, ok := s.schemas[strings.TrimPrefix(ref, "#/components/schemas/")]; ok && !s.shallowTypeOK(v, target, depth+1) {
			return false
		}
	}
	if all, ok := m["allOf"].([]any); ok {
		for _, part := range all {
			if !s.shallowTypeOK(v, part, depth+1) {
				return false
			}
		}
	}
	return true
}

// firstType finds a non-null type among alternatives, for error messages.
func (s *spec) firstType(alts []any) any {
	for _, alt := range alts {
		m, _ := alt.(map[string]any)
		if ref, ok := m["$ref"].(string); ok {
			m, _ = s.schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
		}
		if t, ok := m["type"]; ok && t != "null" {
			return t
		}
	}
	return "object"
}

func (s *spec) validateString(v string, sch map[string]any, path []string, errs formErrors) {
	n := utf8.RuneCountInString(v)
	minL, hasMin := intKeyword(sch, "minLength")
	maxL, hasMax := intKeyword(sch, "maxLength")
	switch {
	case hasMin && hasMax && (n < minL || n > maxL):
		errs.add(path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", minL, maxL))
	case hasMax && n > maxL:
		errs.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxL))
	case hasMin && n < minL:
		errs.add(path, "BASE_TYPE_MIN_LENGTH", fmt.Sprintf("Must be %d or more in length.", minL))
	}
	if p, ok := sch["pattern"].(string); ok {
		if re := s.patterns[p]; re != nil && !re.MatchString(v) {
			errs.add(path, "STRING_TYPE_REGEX", fmt.Sprintf("String value did not match validation regex: %q.", v))
		}
	}
	switch sch["format"] {
	case "uri":
		if !validURI(v) {
			errs.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			errs.add(path, "DATE_TIME_TYPE_PARSE", fmt.Sprintf("Could not parse %s. Should be ISO8601.", v))
		}
	}
}

// validURI accepts what Discord accepts in embed URLs: absolute http(s) and
// attachment:// URLs with a host or name.
func validURI(v string) bool {
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "attachment":
		return u.Host != "" || u.Opaque != ""
	default:
		return false
	}
}

func validateNumber(v json.Number, sch map[string]any, path []string, errs formErrors) {
	f, err := v.Float64()
	if err != nil {
		errs.add(path, "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %q is not a number.", v.String()))
		return
	}
	if m, ok := sch["minimum"].(json.Number); ok {
		if mf, err := m.Float64(); err == nil && f < mf {
			errs.add(path, "NUMBER_TYPE_MIN", fmt.Sprintf("int value should be greater than or equal to %s.", m))
		}
	}
	if m, ok := sch["maximum"].(json.Number); ok {
		if mf, err := m.Float64(); err == nil && f > mf {
			errs.add(path, "NUMBER_TYPE_MAX", fmt.Sprintf("int value should be less than or equal to %s.", m))
		}
	}
}

func (s *spec) validateArray(v []any, sch map[string]any, path []string, errs formErrors, depth int) {
	minI, hasMin := intKeyword(sch, "minItems")
	maxI, hasMax := intKeyword(sch, "maxItems")
	switch {
	case hasMax && len(v) > maxI:
		errs.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxI))
	case hasMin && len(v) < minI:
		errs.add(path, "BASE_TYPE_MIN_LENGTH", fmt.Sprintf("Must be %d or more in length.", minI))
	}
	if u, _ := sch["uniqueItems"].(bool); u {
		seen := map[string]bool{}
		for _, x := range v {
			b, _ := json.Marshal(x)
			if seen[string(b)] {
				errs.add(path, "BASE_TYPE_DUPLICATES", "Value contains duplicates.")
				break
			}
			seen[string(b)] = true
		}
	}
	items, ok := sch["items"]
	if !ok {
		return
	}
	for i, x := range v {
		s.validate(x, items, appendPath(path, strconv.Itoa(i)), errs, depth+1)
	}
}

func (s *spec) validateObject(v map[string]any, sch map[string]any, path []string, errs formErrors, depth int) {
	props, _ := sch["properties"].(map[string]any)
	if req, ok := sch["required"].([]any); ok {
		for _, r := range req {
			name, _ := r.(string)
			if _, present := v[name]; !present {
				errs.add(appendPath(path, name), "BASE_TYPE_REQUIRED", "This field is required")
			}
		}
	}
	if maxP, ok := intKeyword(sch, "maxProperties"); ok && len(v) > maxP {
		errs.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxP))
	}
	extra, _ := sch["additionalProperties"].(map[string]any)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ps, ok := props[k]; ok {
			s.validate(v[k], ps, appendPath(path, k), errs, depth+1)
		} else if extra != nil {
			s.validate(v[k], extra, appendPath(path, k), errs, depth+1)
		}
		// Discord ignores unknown fields, and so does the fake.
	}
}

func appendPath(path []string, elem string) []string {
	out := make([]string, len(path), len(path)+1)
	copy(out, path)
	return append(out, elem)
}

func intKeyword(sch map[string]any, k string) (int, bool) {
	n, ok := sch[k].(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		return 0, false
	}
	return int(i), true
}

func typeMatches(v any, t any) bool {
	switch tt := t.(type) {
	case string:
		return isType(v, tt)
	case []any:
		for _, x := range tt {
			if s, ok := x.(string); ok && isType(v, s) {
				return true
			}
		}
		return false
	}
	return true
}

func isType(v any, t string) bool {
	switch t {
	case "null":
		return v == nil
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	}
	return false
}

func typeError(v any, t any) (string, string) {
	want := ""
	switch tt := t.(type) {
	case string:
		want = tt
	case []any:
		for _, x := range tt {
			if s, ok := x.(string); ok && s != "null" {
				want = s
				break
			}
		}
	}
	show := fmt.Sprint(v)
	if b, err := json.Marshal(v); err == nil {
		show = string(b)
	}
	if len(show) > 64 {
		show = show[:64] + "..."
	}
	switch want {
	case "string":
		return "BASE_TYPE_STRING", fmt.Sprintf("Could not interpret %s as string.", show)
	case "integer", "number":
		return "NUMBER_TYPE_COERCE", fmt.Sprintf("Value %s is not int.", show)
	case "boolean":
		return "BASE_TYPE_BOOLEAN", "Must be either true or false."
	case "object":
		return "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
	case "array":
		return "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"
	}
	return "BASE_TYPE_INVALID", fmt.Sprintf("Value %s is not valid.", show)
}

func allConst(alts []any) bool {
	if len(alts) == 0 {
		return false
	}
	for _, a := range alts {
		m, ok := a.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["const"]; !ok {
			return false
		}
	}
	return true
}

func constsOf(alts []any) []any {
	out := make([]any, 0, len(alts))
	for _, a := range alts {
		out = append(out, a.(map[string]any)["const"])
	}
	return out
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		if sameValue(v, e) {
			return true
		}
	}
	return false
}

func sameValue(a, b any) bool {
	an, aok := a.(json.Number)
	bn, bok := b.(json.Number)
	if aok && bok {
		af, err1 := an.Float64()
		bf, err2 := bn.Float64()
		return err1 == nil && err2 == nil && af == bf
	}
	switch a.(type) {
	case string, bool, nil:
		return a == b // b's dynamic type may differ: then false, never a panic
	}
	return false
}

func enumList(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		parts[i] = fmt.Sprint(e)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
