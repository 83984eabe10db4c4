package telegramfake

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// answer is the Bot API's response envelope.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call posts params as JSON to method and decodes the answer; it checks that
// the HTTP status equals error_code, as the Bot API answers.
func call(t *testing.T, s *Server, method string, params any) answer {
	t.Helper()
	return callURL(t, s.URL()+"/bot"+s.Token+"/"+method, params)
}

func callURL(t *testing.T, u string, params any) answer {
	t.Helper()
	body, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(u, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("decode answer: %v", err)
	}
	if a.OK && resp.StatusCode != http.StatusOK || !a.OK && resp.StatusCode != a.ErrorCode {
		t.Errorf("HTTP status %d does not match answer %+v", resp.StatusCode, a)
	}
	return a
}

func wantError(t *testing.T, a answer, code int, desc string) {
	t.Helper()
	if a.OK || a.ErrorCode != code || !strings.HasPrefix(a.Description, desc) {
		t.Errorf("answer = ok %v %d %q, want error %d %q", a.OK, a.ErrorCode, a.Description, code, desc)
	}
}

func TestRoutingAndSpecValidation(t *testing.T) {
	s := New(t, Options{NoRateLimits: true})
	s.AddChat(Chat{ID: 42, Type: Private, FirstName: "Ann"})
	tests := []struct {
		name   string
		method string
		params any
		code   int
		desc   string
	}{
		{"unknown method", "sendMessagee", map[string]any{}, 404, "Not Found"},
		{"missing chat_id", "sendMessage", map[string]any{"text": "x"}, 400, "Bad Request: chat_id is empty"},
		{"missing text", "sendMessage", map[string]any{"chat_id": 42}, 400, "Bad Request: message text is empty"},
		{"wrong type chat_id", "sendMessage", map[string]any{"chat_id": true, "text": "x"}, 400, "Bad Request: can't parse chat_id"},
		{"wrong type thread", "sendMessage", map[string]any{"chat_id": 42, "text": "x", "message_thread_id": "abc"}, 400, "Bad Request: can't parse message_thread_id"},
		{"nested required field", "sendMessage", map[string]any{"chat_id": 42, "text": "x", "reply_parameters": map[string]any{}}, 400, "Bad Request: can't parse reply_parameters"},
		{"nested wrong type", "sendMessage", map[string]any{"chat_id": 42, "text": "x", "link_preview_options": map[string]any{"url": true}}, 400, "Bad Request: can't parse link_preview_options"},
		{"unknown chat", "sendMessage", map[string]any{"chat_id": 43, "text": "x"}, 400, "Bad Request: chat not found"},
		{"bad HTML", "sendMessage", map[string]any{"chat_id": 42, "text": "<b>x", "parse_mode": "HTML"}, 400, "Bad Request: can't parse entities: Can't find end tag"},
		{"too long", "sendMessage", map[string]any{"chat_id": 42, "text": strings.Repeat("😀", 2049)}, 400, "Bad Request: message is too long"},
		{"empty after parsing", "sendMessage", map[string]any{"chat_id": 42, "text": "<b> </b>", "parse_mode": "HTML"}, 400, "Bad Request: message text is empty"},
		{"bad parse mode", "sendMessage", map[string]any{"chat_id": 42, "text": "x", "parse_mode": "BBCode"}, 400, "Bad Request: unsupported parse_mode"},
		{"bad command", "setMyCommands", map[string]any{"commands": []map[string]string{{"command": "Bad-Name", "description": "x"}}}, 400, "Bad Request: BOT_COMMAND_INVALID"},
		{"commands not an array", "setMyCommands", map[string]any{"commands": "nope"}, 400, "Bad Request: can't parse commands"},
		{"unimplemented method", "sendDice", map[string]any{"chat_id": 42}, 400, "Bad Request: method sendDice is not implemented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, call(t, s, tt.method, tt.params), tt.code, tt.desc)
		})
	}
	t.Run("wrong token", func(t *testing.T) {
		wantError(t, callURL(t, s.URL()+"/bot1:wrong/getMe", map[string]any{}), 401, "Unauthorized")
	})
	t.Run("exactly 4096 units", func(t *testing.T) {
		a := call(t, s, "sendMessage", map[string]any{"chat_id": 42, "text": strings.Repeat("😀", 2048)})
		if !a.OK {
			t.Fatalf("4096 UTF-16 units refused: %s", a.Description)
		}
	})
	t.Run("method names ignore case, form encoding", func(t *testing.T) {
		resp, err := http.PostForm(s.URL()+"/bot"+s.Token+"/SENDMESSAGE", url.Values{"chat_id": {"42"}, "text": {"form"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("form request: %d %s", resp.StatusCode, body)
		}
	})
	if got := len(s.Calls("sendMessage")); got != len(tests)-4+2 {
		t.Errorf("Calls(sendMessage) = %d, want every answered sendMessage recorded", got)
	}
}

func TestSendRecordsParsedMessage(t *testing.T) {
	s := New(t, Options{NoRateLimits: true})
	s.AddTopic(-1001, 7)
	in := s.TopicMessage(Chat{ID: -1001, Title: "Forum"}, 7, User{ID: 5, FirstName: "Bo"}, "/list")
	a := call(t, s, "sendMessage", map[string]any{
		"chat_id": -1001, "message_thread_id": 7, "text": `<b>A &amp; B</b>`, "parse_mode": "HTML",
		"link_preview_options": map[string]any{"url": "https://example.com/"},
		"reply_parameters":     map[string]any{"message_id": in.MessageID},
	})
	if !a.OK {
		t.Fatalf("sendMessage: %s", a.Description)
	}
	var m Message
	if err := json.Unmarshal(a.Result, &m); err != nil {
		t.Fatal(err)
	}
	if m.Text != "A & B" || m.MessageThreadID != 7 || !m.IsTopicMessage || m.ReplyToMessage == nil {
		t.Errorf("result message = %+v", m)
	}
	sent := s.Sent()
	want := Sent{Method: "sendMessage", ChatID: -1001, MessageThreadID: 7, MessageID: m.MessageID, Text: `<b>A &amp; B</b>`,
		ParseMode: "HTML", PlainText: "A & B", Entities: []Entity{{Type: "bold", Offset: 0, Length: 5}},
		LinkPreview: &LinkPreviewOptions{URL: "https://example.com/"}, ReplyTo: in.MessageID}
	if len(sent) != 1 {
		t.Fatalf("Sent() = %d messages, want 1", len(sent))
	}
	sent[0].At = time.Time{}
	if got := sent[0]; got.Method != want.Method || got.ChatID != want.ChatID || got.MessageThreadID != want.MessageThreadID ||
		got.Text != want.Text || got.PlainText != want.PlainText || got.ReplyTo != want.ReplyTo || *got.LinkPreview != *want.LinkPreview ||
		len(got.Entities) != 1 || got.Entities[0] != want.Entities[0] {
		t.Errorf("Sent()[0] = %+v, want %+v", got, want)
	}
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": -1001, "message_thread_id": 8, "text": "x"}), 400, "Bad Request: message thread not found")
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": -1001, "text": "x", "reply_parameters": map[string]any{"message_id": 999}}), 400, "Bad Request: message to be replied not found")

	edit := map[string]any{"chat_id": -1001, "message_id": m.MessageID, "text": "<b>A &amp; B</b>", "parse_mode": "HTML",
		"link_preview_options": map[string]any{"url": "https://example.com/"}}
	wantError(t, call(t, s, "editMessageText", edit), 400, "Bad Request: message is not modified")
	edit["text"] = "<b>A &amp; B</b>\nAlso reported by: C"
	if a := call(t, s, "editMessageText", edit); !a.OK {
		t.Fatalf("editMessageText: %s", a.Description)
	}
	wantError(t, call(t, s, "editMessageText", map[string]any{"chat_id": -1001, "message_id": in.MessageID, "text": "x"}), 400, "Bad Request: message can't be edited")
}

func TestChatsMembersAndFiles(t *testing.T) {
	s := New(t, Options{NoRateLimits: true})
	s.AddChat(Chat{ID: -100777, Type: Channel, Title: "News", Username: "newschan"})
	s.SetChatMember(-100777, 9, Administrator)
	a := call(t, s, "getChat", map[string]any{"chat_id": "@NewsChan"})
	var ch Chat
	if !a.OK || json.Unmarshal(a.Result, &ch) != nil || ch.ID != -100777 || ch.Type != Channel {
		t.Fatalf("getChat(@NewsChan) = %+v %s", ch, a.Description)
	}
	wantError(t, call(t, s, "getChat", map[string]any{"chat_id": "@nochan"}), 400, "Bad Request: chat not found")
	for _, tt := range []struct {
		user int64
		want string
	}{{9, Administrator}, {10, Left}, {s.BotID, Left}} {
		s.SetChatMember(-100777, 10, Left)
		a := call(t, s, "getChatMember", map[string]any{"chat_id": -100777, "user_id": tt.user})
		var m struct{ Status string }
		if !a.OK || json.Unmarshal(a.Result, &m) != nil || m.Status != tt.want {
			t.Errorf("getChatMember(%d) = %q %s, want %q", tt.user, m.Status, a.Description, tt.want)
		}
	}
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": "@newschan", "text": "x"}), 403, "Forbidden: bot is not a member of the channel chat")
	s.SetChatMember(-100777, s.BotID, Member)
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": "@newschan", "text": "x"}), 400, "Bad Request: need administrator rights in the channel chat")
	s.SetChatMember(-100777, s.BotID, Administrator)
	if a := call(t, s, "sendMessage", map[string]any{"chat_id": "@newschan", "text": "x"}); !a.OK {
		t.Errorf("admin bot cannot post in channel: %s", a.Description)
	}
	s.SetChatMember(42, s.BotID, Kicked)
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": 42, "text": "x"}), 403, "Forbidden: bot was blocked by the user")

	doc := s.DocumentMessage(Chat{ID: 5, Type: Private, FirstName: "Ann"}, User{ID: 5, FirstName: "Ann"}, "/importopml", "feeds.opml", []byte("<opml/>"))
	a = call(t, s, "getFile", map[string]any{"file_id": doc.Document.FileID})
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int    `json:"file_size"`
	}
	if !a.OK || json.Unmarshal(a.Result, &f) != nil || f.FileSize != 7 {
		t.Fatalf("getFile = %+v %s", f, a.Description)
	}
	resp, err := http.Get(s.URL() + "/file/bot" + s.Token + "/" + f.FilePath)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(data) != "<opml/>" {
		t.Errorf("file download = %q", data)
	}
	wantError(t, call(t, s, "getFile", map[string]any{"file_id": "nope"}), 400, "Bad Request: invalid file_id")
}

func TestGetUpdatesLongPolling(t *testing.T) {
	s := New(t, Options{})
	u := User{ID: 5, FirstName: "Ann"}
	first := s.PrivateMessage(u, "/start")
	a := call(t, s, "getUpdates", map[string]any{"timeout": 0})
	var got []Update
	if !a.OK || json.Unmarshal(a.Result, &got) != nil || len(got) != 1 || got[0].Message.MessageID != first.MessageID {
		t.Fatalf("getUpdates = %s %s", a.Result, a.Description)
	}
	if got[0].Message.Entities[0].Type != "bot_command" {
		t.Errorf("command entity missing: %+v", got[0].Message)
	}
	// Not confirmed yet: returned again; confirmed by offset: gone.
	if a := call(t, s, "getUpdates", map[string]any{}); !strings.Contains(string(a.Result), "/start") {
		t.Errorf("unconfirmed update not returned again: %s", a.Result)
	}
	start := time.Now()
	done := make(chan answer, 1)
	go func() { done <- call(t, s, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1, "timeout": 10}) }()
	if _, err := s.WaitCalls(context.Background(), "getUpdates", 2); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the poll start waiting
	second := s.PrivateMessage(u, "/help")
	a = <-done
	if err := json.Unmarshal(a.Result, &got); err != nil || len(got) != 1 || got[0].Message.MessageID != second.MessageID {
		t.Fatalf("long poll = %s %s", a.Result, a.Description)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("long poll did not return on a new update")
	}

	// Two overlapping polls: the first one is terminated with 409.
	first409 := make(chan answer, 1)
	go func() {
		first409 <- call(t, s, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1, "timeout": 10})
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n := len(s.Calls("getUpdates"))
	for {
		s.mu.Lock()
		polling := s.poll != nil
		s.mu.Unlock()
		if polling || ctx.Err() != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	second409 := make(chan answer, 1)
	go func() {
		second409 <- call(t, s, "getUpdates", map[string]any{"offset": got[0].UpdateID + 1, "timeout": 1})
	}()
	wantError(t, <-first409, 409, "Conflict: terminated by other getUpdates request")
	if a := <-second409; !a.OK {
		t.Errorf("second poll = %s", a.Description)
	}
	if len(s.Calls("getUpdates")) != n+2 {
		t.Errorf("calls not recorded")
	}

	// A webhook forbids getUpdates.
	if a := call(t, s, "setWebhook", map[string]any{"url": "http://127.0.0.1:1/hook", "secret_token": "s3cret_-"}); !a.OK {
		t.Fatalf("setWebhook: %s", a.Description)
	}
	wantError(t, call(t, s, "getUpdates", map[string]any{}), 409, "Conflict: can't use getUpdates method while webhook is active")
	wantError(t, call(t, s, "setWebhook", map[string]any{"url": "ftp://x/"}), 400, "Bad Request: bad webhook")
	wantError(t, call(t, s, "setWebhook", map[string]any{"url": "https://x/", "secret_token": "no spaces"}), 400, "Bad Request: bad webhook: secret token")
	if a := call(t, s, "deleteWebhook", map[string]any{}); !a.OK {
		t.Fatal(a.Description)
	}
}

func TestWebhookDelivery(t *testing.T) {
	s := New(t, Options{})
	var (
		mu      sync.Mutex
		secrets []string
		fail    = 1
	)
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if fail > 0 {
			fail--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
	})
	srv := newHTTPServer(t, hook)
	if a := call(t, s, "setWebhook", map[string]any{"url": srv + "/hook", "secret_token": "abc_DEF-1"}); !a.OK {
		t.Fatal(a.Description)
	}
	s.PrivateMessage(User{ID: 5, FirstName: "Ann"}, "/start")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for s.PendingUpdates() > 0 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	d := s.WebhookDeliveries()
	if len(d) != 2 || d[0].Status != 500 || d[1].Status != 200 {
		t.Errorf("deliveries = %+v, want a failure then a success", d)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, sec := range secrets {
		if sec != "abc_DEF-1" {
			t.Errorf("secret header = %q", sec)
		}
	}
}

func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: time.Second}
	ln := listen(t)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestRateLimits(t *testing.T) {
	now := time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s := New(t, Options{Now: clock})
	s.AddChat(Chat{ID: 1, Type: Private, FirstName: "A"})
	s.AddChat(Chat{ID: -5, Type: Group, Title: "G"})
	send := func(chat int64) answer {
		return call(t, s, "sendMessage", map[string]any{"chat_id": chat, "text": "x"})
	}
	for i := range 3 {
		if a := send(1); !a.OK {
			t.Fatalf("private message %d refused: %s", i, a.Description)
		}
	}
	a := send(1)
	wantError(t, a, 429, "Too Many Requests: retry after 1")
	if a.Parameters == nil || a.Parameters.RetryAfter != 1 {
		t.Errorf("429 parameters = %+v", a.Parameters)
	}
	advance(time.Second)
	if a := send(1); !a.OK {
		t.Errorf("private message after 1s refused: %s", a.Description)
	}
	for i := range 20 {
		if a := send(-5); !a.OK {
			t.Fatalf("group message %d refused: %s", i, a.Description)
		}
	}
	a = send(-5)
	wantError(t, a, 429, "Too Many Requests: retry after 3")
	// Global: 30 per second over many chats.
	for id := int64(100); id < 130; id++ {
		s.AddChat(Chat{ID: id, Type: Private, FirstName: "U"})
	}
	advance(2 * time.Second) // refill the global bucket
	for id := int64(100); id < 130; id++ {
		if a := send(id); !a.OK {
			t.Fatalf("message %d of 30 refused: %s", id-100, a.Description)
		}
	}
	s.AddChat(Chat{ID: 200, Type: Private, FirstName: "U"})
	wantError(t, send(200), 429, "Too Many Requests: retry after 1")
}

func TestFailureInjection(t *testing.T) {
	s := New(t, Options{NoRateLimits: true})
	s.AddChat(Chat{ID: 1, Type: Private, FirstName: "A"})
	s.Fail("sendMessage", 1, Failure{Code: 429, RetryAfter: 7})
	s.Fail("sendMessage", 2, Failure{Code: 403, Description: "Forbidden: bot was kicked from the group chat"})
	s.Fail("sendmessage", 1, Failure{Code: 500})
	a := call(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"})
	wantError(t, a, 429, "Too Many Requests: retry after 7")
	if a.Parameters == nil || a.Parameters.RetryAfter != 7 {
		t.Errorf("retry_after = %+v", a.Parameters)
	}
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}), 403, "Forbidden: bot was kicked")
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}), 403, "Forbidden: bot was kicked")
	wantError(t, call(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}), 500, "Internal Server Error")
	if a := call(t, s, "sendMessage", map[string]any{"chat_id": 1, "text": "x"}); !a.OK {
		t.Errorf("after failures: %s", a.Description)
	}

	s.Fail("getMe", 1, Failure{Hang: true})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+s.Token+"/getMe", nil)
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Errorf("hanging call answered")
	}
	s.Fail("getMe", 1, Failure{Cut: true})
	if resp, err := http.Post(s.URL()+"/bot"+s.Token+"/getMe", "application/json", strings.NewReader("{}")); err == nil {
		resp.Body.Close()
		t.Errorf("cut call answered %d", resp.StatusCode)
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
