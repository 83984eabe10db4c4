// Package specsubset cuts the part of Discord's OpenAPI description that the
// fake serves out of the full document: the operations it implements, whether
// they need a bot token, their request body schemas and every component
// schema those reach. The fake embeds the result, so that it validates
// request bodies against Discord's own published rules without carrying the
// whole 1 MB document.
package specsubset

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Operation names one route of the HTTP API as the OpenAPI document spells
// it: an upper-case method and a path template relative to /api/v10.
type Operation struct {
	Method string
	Path   string
}

// Key renders the operation as "METHOD /path", the key used in the subset.
func (o Operation) Key() string { return o.Method + " " + o.Path }

// Operations lists the routes the fake serves, in a stable order.
func Operations() []Operation {
	return []Operation{
		{"GET", "/gateway"},
		{"GET", "/gateway/bot"},
		{"GET", "/users/@me"},
		{"GET", "/oauth2/applications/@me"},
		{"GET", "/applications/@me"},
		{"GET", "/applications/{application_id}/commands"},
		{"PUT", "/applications/{application_id}/commands"},
		{"GET", "/applications/{application_id}/guilds/{guild_id}/commands"},
		{"PUT", "/applications/{application_id}/guilds/{guild_id}/commands"},
		{"POST", "/channels/{channel_id}/messages"},
		{"PATCH", "/channels/{channel_id}/messages/{message_id}"},
		{"POST", "/interactions/{interaction_id}/{interaction_token}/callback"},
		{"POST", "/webhooks/{webhook_id}/{webhook_token}"},
		{"PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"},
		{"DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"},
	}
}

// Auth levels of an operation, from its "security" list.
const (
	AuthRequired = "required" // a bot token must be sent
	AuthOptional = "optional" // a token may be sent (and is then checked)
	AuthNone     = "none"     // no security requirement is declared
)

// OperationSpec is what the fake needs to know about one operation.
type OperationSpec struct {
	OperationID  string          `json:"operation_id"`
	Auth         string          `json:"auth"`
	BodyRequired bool            `json:"body_required,omitempty"`
	Body         json.RawMessage `json:"body,omitempty"` // JSON schema of an application/json body
}

// Subset is the document Extract produces.
type Subset struct {
	Source     map[string]string          `json:"source"`
	Operations map[string]OperationSpec   `json:"operations"`
	Schemas    map[string]json.RawMessage `json:"schemas"`
}

const refPrefix = "#/components/schemas/"

// Extract reads the full OpenAPI document and returns the subset for ops as
// indented JSON with sorted keys, so that regenerating it is reproducible.
// Descriptions and titles are dropped; every validation keyword is kept.
func Extract(full []byte, ops []Operation) ([]byte, error) {
	var doc struct {
		Info struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(full, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	out := Subset{
		Source:     map[string]string{"title": doc.Info.Title, "version": doc.Info.Version},
		Operations: map[string]OperationSpec{},
		Schemas:    map[string]json.RawMessage{},
	}
	var queue []string
	seen := map[string]bool{}
	for _, op := range ops {
		item, ok := doc.Paths[op.Path]
		if !ok {
			return nil, fmt.Errorf("extract %s: path not in document", op.Key())
		}
		raw, ok := item[strings.ToLower(op.Method)]
		if !ok {
			return nil, fmt.Errorf("extract %s: method not in document", op.Key())
		}
		var o struct {
			OperationID string              `json:"operationId"`
			Security    *[]map[string][]any `json:"security"`
			RequestBody *struct {
				Required bool `json:"required"`
				Content  map[string]struct {
					Schema any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("extract %s: %w", op.Key(), err)
		}
		spec := OperationSpec{OperationID: o.OperationID, Auth: authLevel(o.Security)}
		if o.RequestBody != nil {
			if c, ok := o.RequestBody.Content["application/json"]; ok {
				spec.BodyRequired = o.RequestBody.Required
				s := strip(c.Schema)
				queue = append(queue, refs(s)...)
				b, err := json.Marshal(s)
				if err != nil {
					return nil, fmt.Errorf("extract %s: %w", op.Key(), err)
				}
				spec.Body = b
			}
		}
		out.Operations[op.Key()] = spec
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		s, ok := doc.Components.Schemas[name]
		if !ok {
			return nil, fmt.Errorf("extract: schema %q is referenced but not defined", name)
		}
		s = strip(s)
		queue = append(queue, refs(s)...)
		b, err := json.Marshal(s)
		if err != nil {
			return nil, fmt.Errorf("extract schema %q: %w", name, err)
		}
		out.Schemas[name] = b
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return nil, fmt.Errorf("encode subset: %w", err)
	}
	return append(b, '\n'), nil
}

func authLevel(sec *[]map[string][]any) string {
	if sec == nil || len(*sec) == 0 {
		return AuthNone
	}
	hasBot, hasEmpty := false, false
	for _, alt := range *sec {
		if len(alt) == 0 {
			hasEmpty = true
		}
		if _, ok := alt["BotToken"]; ok {
			hasBot = true
		}
	}
	switch {
	case hasBot && !hasEmpty:
		return AuthRequired
	case hasBot:
		return AuthOptional
	default:
		return AuthNone
	}
}

// strip removes documentation keywords from a schema, recursively. Maps of
// property names are walked without removing keys: a property may well be
// called "title" or "description".
func strip(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			switch k {
			case "description", "title", "example", "examples":
				continue
			case "properties", "patternProperties", "$defs", "definitions":
				if props, ok := x.(map[string]any); ok {
					kept := make(map[string]any, len(props))
					for name, sub := range props {
						kept[name] = strip(sub)
					}
					m[k] = kept
					continue
				}
			}
			m[k] = strip(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = strip(x)
		}
		return l
	default:
		return v
	}
}

// refs lists the component schema names v refers to, sorted.
func refs(v any) []string {
	set := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if s, ok := x.(string); ok && k == "$ref" && strings.HasPrefix(s, refPrefix) {
					set[strings.TrimPrefix(s, refPrefix)] = true
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
