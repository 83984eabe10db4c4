// Command specgen extracts, from Slack's Web API OpenAPI description and
// its Events API AsyncAPI schema, the subset the Slack fake implements, and
// writes it as testdata/webapi_subset.json. The fake reads only that
// checked-in subset, never the full specs. Run from the repository root:
//
//	go run ./internal/fakes/slack/internal/specgen -specs /work/shared/specs \
//	    -out internal/fakes/slack/testdata/webapi_subset.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// methods the fake serves, with the rate-limit tier Slack documents for each
// (the OpenAPI description does not carry tiers; they are from
// https://api.slack.com/docs/rate-limits and each method's page).
// "special" is chat.postMessage: about one message a second per channel.
var methods = map[string]string{
	"chat.postMessage":      "special",
	"chat.update":           "tier3",
	"users.info":            "tier4",
	"conversations.info":    "tier3",
	"auth.test":             "special",
	"views.publish":         "tier4",
	"conversations.history": "tier3",
}

// notInSpec are methods the 2021 description predates; the fake serves them
// from Slack's method documentation.
var notInSpec = map[string]method{
	"apps.connections.open": {
		HTTP:     "post",
		Tier:     "tier1",
		Params:   []param{{Name: "token", In: "header", Required: true}},
		Errors:   []string{"not_authed", "invalid_auth", "not_allowed_token_type", "account_inactive", "token_revoked"},
		Success:  []string{"ok", "url"},
		Scopes:   []string{"connections:write"},
		FromDocs: true,
	},
}

type param struct {
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required,omitempty"`
}

type method struct {
	HTTP     string   `json:"http"`
	Tier     string   `json:"tier"`
	Params   []param  `json:"params"`
	Errors   []string `json:"errors"`
	Success  []string `json:"success_required"`
	Scopes   []string `json:"scopes"`
	FromDocs bool     `json:"from_docs,omitempty"`
}

type subset struct {
	Source  string            `json:"source"`
	Methods map[string]method `json:"methods"`
	// EventWrapperRequired are the required fields of the Events API's
	// event_callback wrapper; EventTopics the event types the fake sends.
	EventWrapperRequired []string `json:"event_wrapper_required"`
	EventTopics          []string `json:"event_topics"`
}

func main() {
	specs := flag.String("specs", "/work/shared/specs", "directory holding slack-web-openapi-v2.json and slack-events-api-async-v1.json")
	out := flag.String("out", "internal/fakes/slack/testdata/webapi_subset.json", "file to write")
	flag.Parse()
	s, err := extract(*specs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}

type openAPI struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name     string `json:"name"`
			In       string `json:"in"`
			Required bool   `json:"required"`
		} `json:"parameters"`
		Responses map[string]struct {
			Schema struct {
				Required   []string `json:"required"`
				Properties struct {
					Error struct {
						Enum []string `json:"enum"`
					} `json:"error"`
				} `json:"properties"`
			} `json:"schema"`
		} `json:"responses"`
		Security []map[string][]string `json:"security"`
	} `json:"paths"`
}

type asyncAPI struct {
	Topics     map[string]json.RawMessage `json:"topics"`
	Components struct {
		Schemas map[string]struct {
			Required []string `json:"required"`
		} `json:"schemas"`
	} `json:"components"`
}

func extract(dir string) (subset, error) {
	var web openAPI
	if err := readJSON(filepath.Join(dir, "slack-web-openapi-v2.json"), &web); err != nil {
		return subset{}, err
	}
	var ev asyncAPI
	if err := readJSON(filepath.Join(dir, "slack-events-api-async-v1.json"), &ev); err != nil {
		return subset{}, err
	}
	s := subset{Source: "slackapi/slack-api-specs (MIT): web-api/slack_web_openapi_v2.json, events-api/slack_events_api_async_v1.json", Methods: map[string]method{}}
	for name, tier := range methods {
		ops, ok := web.Paths["/"+name]
		if !ok {
			return s, fmt.Errorf("%s: not in the Web API description", name)
		}
		for verb, op := range ops {
			m := method{HTTP: verb, Tier: tier}
			for _, p := range op.Parameters {
				m.Params = append(m.Params, param{Name: p.Name, In: p.In, Required: p.Required})
			}
			m.Errors = op.Responses["default"].Schema.Properties.Error.Enum
			m.Success = op.Responses["200"].Schema.Required
			for _, sec := range op.Security {
				m.Scopes = append(m.Scopes, sec["slackAuth"]...)
			}
			s.Methods[name] = m
		}
	}
	for name, m := range notInSpec {
		s.Methods[name] = m
	}
	w, ok := ev.Components.Schemas["GenericEventWrapper"]
	if !ok {
		return s, fmt.Errorf("events schema has no GenericEventWrapper")
	}
	s.EventWrapperRequired = w.Required
	for _, t := range []string{"url.verification", "member.joined.channel", "channel.unarchive"} {
		if _, ok := ev.Topics[t]; !ok {
			return s, fmt.Errorf("events schema has no topic %s", t)
		}
		s.EventTopics = append(s.EventTopics, t)
	}
	sort.Strings(s.EventTopics)
	return s, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
