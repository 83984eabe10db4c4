package slackfake

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// The subset of Slack's Web API description the fake implements, extracted
// from ../shared/specs by internal/specgen (go generate) and checked in, so
// tests never read the full specs.
//
//go:generate go run ./internal/specgen -specs ../../../../shared/specs -out testdata/webapi_subset.json
//go:embed testdata/webapi_subset.json
var subsetJSON []byte

// MethodSpec is what the fake knows of one Web API method.
type MethodSpec struct {
	HTTP   string `json:"http"`
	Tier   string `json:"tier"`
	Params []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"params"`
	Errors   []string `json:"errors"`
	Success  []string `json:"success_required"`
	Scopes   []string `json:"scopes"`
	FromDocs bool     `json:"from_docs"`
}

// Spec is the checked-in subset.
type Spec struct {
	Methods              map[string]MethodSpec `json:"methods"`
	EventWrapperRequired []string              `json:"event_wrapper_required"`
	EventTopics          []string              `json:"event_topics"`
}

// LoadSpec parses the embedded subset.
func LoadSpec() (Spec, error) {
	var s Spec
	if err := json.Unmarshal(subsetJSON, &s); err != nil {
		return s, fmt.Errorf("slackfake: spec subset: %w", err)
	}
	return s, nil
}

// missingParam returns the first required non-token parameter absent from
// values, or "".
func (m MethodSpec) missingParam(has func(string) bool) string {
	for _, p := range m.Params {
		if p.Required && p.Name != "token" && !has(p.Name) {
			return p.Name
		}
	}
	return ""
}

// documents reports whether the description lists err for the method
// (errors every method may return are always allowed).
func (m MethodSpec) documents(err string) bool {
	switch err {
	case "ratelimited", "invalid_arguments", "invalid_blocks", "invalid_blocks_format", "not_allowed_token_type", "internal_error":
		return true
	}
	for _, e := range m.Errors {
		if e == err {
			return true
		}
	}
	return false
}
