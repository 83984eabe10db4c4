package discordfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot/discord/discordfake/internal/specsubset"
)

const token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GkQz7p.fake-test-token"

func newServer(t testing.TB, mutate func(*Options)) *Server {
	t.Helper()
	o := Options{Token: token}
	if mutate != nil {
		mutate(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func call(t testing.TB, s *Server, method, path, auth string, body any) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.URL()+"/api/v10"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// TestSubsetMatchesSpec regenerates the embedded subset from Discord's
// OpenAPI document (shared/specs, or NEWSALERT_DISCORD_SPEC) and checks the
// embedded copy is current.
func TestSubsetMatchesSpec(t *testing.T) {
	path := os.Getenv("NEWSALERT_DISCORD_SPEC")
	if path == "" {
		path = filepath.Join("..", "..", "..", "..", "shared", "specs", "discord-openapi.json")
	}
	full, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("Discord OpenAPI document not found (%v); set NEWSALERT_DISCORD_SPEC to check the subset", err)
	}
	got, err := specsubset.Extract(full, specsubset.Operations())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, openAPISubset) {
		t.Error("openapi_subset.json is stale: run go run ./internal/specgen -spec " + path + " -out openapi_subset.json")
	}
}

func errorCode(body map[string]any, path ...string) string {
	var node any = body["errors"]
	for _, p := range path {
		m, ok := node.(map[string]any)
		if !ok {
			return ""
		}
		node = m[p]
	}
	m, _ := node.(map[string]any)
	list, _ := m["_errors"].([]any)
	if len(list) == 0 {
		return ""
	}
	e, _ := list[0].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func TestMessageValidation(t *testing.T) {
	s := newServer(t, func(o *Options) { o.MessageLimit = -1 })
	embed := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	many := func(n int, v any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	x := strings.Repeat
	tests := []struct {
		name     string
		body     any
		status   int
		code     float64
		errPath  []string
		wantCode string
	}{
		{"valid", map[string]any{"content": "hi", "embeds": []any{embed("title", x("t", 256), "description", x("d", 4096))},
			"allowed_mentions": map[string]any{"parse": []any{}}}, 200, 0, nil, ""},
		{"title 257", map[string]any{"embeds": []any{embed("title", x("t", 257))}}, 400, 50035, []string{"embeds", "0", "title"}, "BASE_TYPE_MAX_LENGTH"},
		{"description 4097", map[string]any{"embeds": []any{embed("description", x("d", 4097))}}, 400, 50035, []string{"embeds", "0", "description"}, "BASE_TYPE_MAX_LENGTH"},
		{"footer 2049", map[string]any{"embeds": []any{embed("footer", map[string]any{"text": x("f", 2049)})}}, 400, 50035, []string{"embeds", "0", "footer", "text"}, "BASE_TYPE_MAX_LENGTH"},
		{"author 257", map[string]any{"embeds": []any{embed("author", map[string]any{"name": x("a", 257)})}}, 400, 50035, []string{"embeds", "0", "author", "name"}, "BASE_TYPE_MAX_LENGTH"},
		{"26 fields", map[string]any{"embeds": []any{embed("fields", many(26, map[string]any{"name": "n", "value": "v"}))}}, 400, 50035, []string{"embeds", "0", "fields"}, "BASE_TYPE_MAX_LENGTH"},
		{"field without value", map[string]any{"embeds": []any{embed("fields", []any{map[string]any{"name": "n"}})}}, 400, 50035, []string{"embeds", "0", "fields", "0", "value"}, "BASE_TYPE_REQUIRED"},
		{"11 embeds", map[string]any{"embeds": many(11, embed("title", "t"))}, 400, 50035, []string{"embeds"}, "BASE_TYPE_MAX_LENGTH"},
		{"6001 characters", map[string]any{"embeds": []any{embed("description", x("d", 4000)), embed("description", x("d", 2001))}}, 400, 50035, []string{"embeds"}, "MAX_EMBED_SIZE_EXCEEDED"},
		{"content 2001", map[string]any{"content": x("c", 2001)}, 400, 50035, []string{"content"}, "BASE_TYPE_MAX_LENGTH"},
		{"bad url", map[string]any{"embeds": []any{embed("title", "t", "url", "javascript:alert(1)")}}, 400, 50035, []string{"embeds", "0", "url"}, "URL_TYPE_INVALID_URL"},
		{"bad timestamp", map[string]any{"embeds": []any{embed("title", "t", "timestamp", "yesterday")}}, 400, 50035, []string{"embeds", "0", "timestamp"}, "DATE_TIME_TYPE_PARSE"},
		{"negative color", map[string]any{"embeds": []any{embed("title", "t", "color", -1)}}, 400, 50035, []string{"embeds", "0", "color"}, "NUMBER_TYPE_MIN"},
		{"unknown mention type", map[string]any{"content": "x", "allowed_mentions": map[string]any{"parse": []any{"bogus"}}}, 400, 50035, []string{"allowed_mentions", "parse", "0"}, "BASE_TYPE_CHOICES"},
		{"title not a string", map[string]any{"embeds": []any{embed("title", 5)}}, 400, 50035, []string{"embeds", "0", "title"}, "BASE_TYPE_STRING"},
		{"empty message", map[string]any{"embeds": []any{}}, 400, 50006, nil, ""},
		{"invalid JSON", `{"content":`, 400, 50109, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, s, "POST", "/channels/1300000000000000001/messages", "Bot "+token, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.raw)
			}
			if tt.code != 0 && a.body["code"] != tt.code {
				t.Errorf("code %v, want %v: %s", a.body["code"], tt.code, a.raw)
			}
			if tt.wantCode != "" {
				if got := errorCode(a.body, tt.errPath...); got != tt.wantCode {
					t.Errorf("error at %v = %q, want %q: %s", tt.errPath, got, tt.wantCode, a.raw)
				}
			}
		})
	}
	if n := len(s.Messages("1300000000000000001")); n != 1 {
		t.Errorf("%d messages stored, want only the valid one", n)
	}
}

func TestAuthorization(t *testing.T) {
	s := newServer(t, nil)
	for _, tt := range []struct {
		path, auth string
		want       int
	}{
		{"/users/@me", "", 401},
		{"/users/@me", "Bot wrong", 401},
		{"/users/@me", token, 401}, // the "Bot " prefix is required
		{"/users/@me", "Bot " + token, 200},
		{"/gateway", "", 200},
		{"/gateway/bot", "", 401},
	} {
		if a := call(t, s, "GET", tt.path, tt.auth, nil); a.status != tt.want {
			t.Errorf("GET %s with %q: %d, want %d", tt.path, tt.auth, a.status, tt.want)
		}
	}
	if s.InvalidRequests() != 4 {
		t.Errorf("invalid requests %d, want 4", s.InvalidRequests())
	}
}

func TestMessageRateLimit(t *testing.T) {
	s := newServer(t, nil)
	msg := map[string]any{"content": "hello"}
	for i := range 5 {
		a := call(t, s, "POST", "/channels/1/messages", "Bot "+token, msg)
		if a.status != 200 || a.header.Get("X-RateLimit-Remaining") != fmt.Sprint(4-i) || a.header.Get("X-RateLimit-Limit") != "5" ||
			a.header.Get("X-RateLimit-Bucket") == "" || a.header.Get("X-RateLimit-Reset-After") == "" {
			t.Fatalf("message %d: %d %v", i, a.status, a.header)
		}
	}
	a := call(t, s, "POST", "/channels/1/messages", "Bot "+token, msg)
	if a.status != 429 || a.body["global"] != false || a.body["message"] != "You are being rate limited." {
		t.Fatalf("6th message: %d %s", a.status, a.raw)
	}
	if ra, _ := a.body["retry_after"].(float64); ra <= 0 || ra > 5 {
		t.Errorf("retry_after %v", a.body["retry_after"])
	}
	if a.header.Get("Retry-After") == "" || a.header.Get("X-RateLimit-Scope") != "user" {
		t.Errorf("429 headers %v", a.header)
	}
	if a := call(t, s, "POST", "/channels/2/messages", "Bot "+token, msg); a.status != 200 {
		t.Errorf("another channel is limited too: %d", a.status)
	}
}

func TestGlobalRateLimit(t *testing.T) {
	s := newServer(t, func(o *Options) { o.GlobalLimit = 3 })
	for i := range 3 {
		if a := call(t, s, "POST", fmt.Sprintf("/channels/%d/messages", i), "Bot "+token, map[string]any{"content": "x"}); a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
	}
	a := call(t, s, "POST", "/channels/9/messages", "Bot "+token, map[string]any{"content": "x"})
	if a.status != 429 || a.body["global"] != true || a.header.Get("X-RateLimit-Global") != "true" {
		t.Errorf("4th request: %d %s %v", a.status, a.raw, a.header)
	}
}

func TestNonce(t *testing.T) {
	s := newServer(t, nil)
	body := map[string]any{"content": "x", "nonce": "abc", "enforce_nonce": true}
	a1 := call(t, s, "POST", "/channels/1/messages", "Bot "+token, body)
	a2 := call(t, s, "POST", "/channels/1/messages", "Bot "+token, body)
	if a1.body["id"] != a2.body["id"] || len(s.Messages("1")) != 1 {
		t.Errorf("enforced nonce created %d messages", len(s.Messages("1")))
	}
	delete(body, "enforce_nonce")
	call(t, s, "POST", "/channels/1/messages", "Bot "+token, body)
	if len(s.Messages("1")) != 2 {
		t.Errorf("a nonce without enforce_nonce deduplicated")
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		kind   FaultKind
		status int
		code   float64
	}{
		{Fault429, 429, 0}, {Fault429BodyOnly, 429, 0}, {Fault429Bare, 429, 0}, {Fault429Global, 429, 0},
		{Fault502, 502, 0}, {Fault502AfterWork, 502, 0}, {Fault500, 500, 0}, {FaultUnauthorized, 401, 0},
		{FaultMissingAccess, 403, 50001}, {FaultMissingPermissions, 403, 50013}, {FaultUnknownChannel, 404, 10003},
	}
	for _, tt := range tests {
		s := newServer(t, nil)
		s.Inject(RouteCreateMessage, Fault{Kind: tt.kind, Major: "7"})
		if a := call(t, s, "POST", "/channels/8/messages", "Bot "+token, map[string]any{"content": "x"}); a.status != 200 {
			t.Errorf("fault %d hit another channel: %d", tt.kind, a.status)
		}
		a := call(t, s, "POST", "/channels/7/messages", "Bot "+token, map[string]any{"content": "x"})
		if a.status != tt.status || (tt.code != 0 && a.body["code"] != tt.code) {
			t.Errorf("fault %d: %d %s", tt.kind, a.status, a.raw)
		}
		wantMsgs := 0
		if tt.kind == Fault502AfterWork {
			wantMsgs = 1
		}
		if n := len(s.Messages("7")); n != wantMsgs {
			t.Errorf("fault %d: %d messages, want %d", tt.kind, n, wantMsgs)
		}
		if a := call(t, s, "POST", "/channels/7/messages", "Bot "+token, map[string]any{"content": "x"}); a.status != 200 {
			t.Errorf("fault %d outlived Times: %d", tt.kind, a.status)
		}
		if tt.kind == Fault429Bare && (a.header.Get("Retry-After") != "" || a.body["retry_after"] != nil) {
			t.Errorf("bare 429 carries a retry hint: %v %s", a.header, a.raw)
		}
	}
}

func FuzzValidateMessage(f *testing.F) {
	sp, err := loadSpec()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"content":"x","embeds":[{"title":"t","fields":[{"name":"n"}]}],"allowed_mentions":{"parse":[]}}`))
	f.Add([]byte(`{"embeds":[{"color":1.5,"timestamp":"2026-01-01T00:00:00Z","url":"https://e"}],"nonce":12}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte(`{"components":[{"type":1,"components":[{"type":2,"style":1,"label":"x","custom_id":"y"}]}]}`))
	schema := sp.bodies[RouteCreateMessage]
	f.Fuzz(func(t *testing.T, raw []byte) {
		v, err := decodeJSON(raw)
		if err != nil {
			return
		}
		errs := formErrors{}
		sp.validate(v, schema, nil, errs, 0)
		if _, err := json.Marshal(errs.tree()); err != nil {
			t.Fatalf("error tree does not encode: %v", err)
		}
	})
}
