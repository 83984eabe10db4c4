package specsubset

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const miniSpec = `{
 "info": {"title": "Discord HTTP API (Preview)", "version": "10"},
 "paths": {
  "/channels/{channel_id}/messages": {
   "post": {
    "operationId": "create_message",
    "security": [{"BotToken": []}],
    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Msg"}}}}
   }
  },
  "/gateway": {"get": {"operationId": "get_gateway", "security": [{}, {"BotToken": []}]}}
 },
 "components": {"schemas": {
  "Msg": {"type": "object", "description": "a message", "properties": {
    "title": {"type": "string", "maxLength": 256, "description": "doc"},
    "embed": {"$ref": "#/components/schemas/Embed"}}},
  "Embed": {"type": "object", "title": "Embed", "properties": {"description": {"type": "string", "maxLength": 4096}}},
  "Unused": {"type": "string"}
 }}
}`

func TestExtract(t *testing.T) {
	b, err := Extract([]byte(miniSpec), []Operation{{"POST", "/channels/{channel_id}/messages"}, {"GET", "/gateway"}})
	if err != nil {
		t.Fatal(err)
	}
	var sub Subset
	if err := json.Unmarshal(b, &sub); err != nil {
		t.Fatal(err)
	}
	create := sub.Operations["POST /channels/{channel_id}/messages"]
	if create.Auth != AuthRequired || !create.BodyRequired || create.OperationID != "create_message" {
		t.Errorf("create_message %+v", create)
	}
	if gw := sub.Operations["GET /gateway"]; gw.Auth != AuthOptional || gw.Body != nil {
		t.Errorf("get_gateway %+v", gw)
	}
	if len(sub.Schemas) != 2 || sub.Schemas["Unused"] != nil {
		t.Errorf("schemas %v, want the two reachable ones", keys(sub.Schemas))
	}
	// Documentation is dropped; properties called "title" or
	// "description" are not.
	msg, embed := compact(t, sub.Schemas["Msg"]), compact(t, sub.Schemas["Embed"])
	if !strings.Contains(msg, `"title":{"maxLength":256`) || strings.Contains(msg, "a message") || strings.Contains(msg, "doc") {
		t.Errorf("Msg %s", msg)
	}
	if !strings.Contains(embed, `"description":{"maxLength":4096`) || strings.Contains(embed, `"title":"Embed"`) {
		t.Errorf("Embed %s", embed)
	}
	if _, err := Extract([]byte(miniSpec), []Operation{{"DELETE", "/gateway"}}); err == nil {
		t.Error("an operation missing from the document was accepted")
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
