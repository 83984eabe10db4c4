package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/secret"
)

var (
	ann  = telegramfake.User{ID: 1001, FirstName: "Ann", LastName: "Lee", Username: "annlee"}
	bob  = telegramfake.User{ID: 1002, FirstName: "Bob"}
	cara = telegramfake.User{ID: 1003, FirstName: "Cara"}
)

func tgChat(id int64, thread string) bot.Chat {
	return bot.Chat{Platform: "telegram", ID: strconv.FormatInt(id, 10), Thread: thread}
}

func user(u telegramfake.User, name string) bot.User {
	return bot.User{Platform: "telegram", ID: strconv.FormatInt(u.ID, 10), Name: name}
}

func TestConnectPublishesMenuAndPollingMode(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	e.adapter(nil)
	if n := len(e.fake.Calls("getMe")); n != 1 {
		t.Errorf("getMe calls = %d, want 1", n)
	}
	if n := len(e.fake.Calls("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook calls = %d, want 1 in polling mode", n)
	}
	cmds := e.fake.Commands()
	var cat []bot.CommandSpec
	for _, c := range bot.Catalog() {
		if c.On("telegram") { // not the Discord-only /webhook
			cat = append(cat, c)
		}
	}
	if len(cmds) != len(cat) {
		t.Fatalf("menu has %d commands, catalog %d", len(cmds), len(cat))
	}
	for i, c := range cat {
		if cmds[i].Command != c.Name || !strings.HasPrefix(cmds[i].Description, c.Description) {
			t.Errorf("menu[%d] = %+v, want %s: %s", i, cmds[i], c.Name, c.Description)
		}
	}
}

func TestPrivateCommands(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	e.fake.PrivateMessage(ann, "hello there")                      // not a command
	e.fake.PrivateMessage(ann, "/subscribe@other_bot north korea") // another bot's
	e.fake.PrivateMessage(ann, "/start")                           //
	e.fake.PrivateMessage(ann, `/subscribe "north korea" russia`)  //
	e.fake.PrivateMessage(ann, "/HELP@newsalert_test_bot")         // ours, any case
	e.fake.PrivateMessage(bob, "/whatever is this")                // unknown: the handler answers
	reqs, manage := byChat(rec.wait(t, 4))
	want := []bot.Request{
		{Chat: tgChat(ann.ID, ""), ChatKind: bot.Private, User: user(ann, "Ann Lee"), Command: "start"},
		{Chat: tgChat(ann.ID, ""), ChatKind: bot.Private, User: user(ann, "Ann Lee"), Command: "subscribe", Args: `"north korea" russia`},
		{Chat: tgChat(ann.ID, ""), ChatKind: bot.Private, User: user(ann, "Ann Lee"), Command: "help"},
		{Chat: tgChat(bob.ID, ""), ChatKind: bot.Private, User: user(bob, "Bob"), Command: "whatever", Args: "is this"},
	}
	for i := range want {
		if got := stripRequest(reqs[i]); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("request %d = %+v, want %+v", i, got, want[i])
		}
		if manage[i] != "nil" {
			t.Errorf("request %d: CanManageChat = %s, want nil in a private chat", i, manage[i])
		}
	}
	sent := waitReplies(t, e.fake, 4)
	// Replies are in order within a chat (maybe merged); chats are
	// independent.
	wantTexts := map[int64][]string{ann.ID: {"ok /start", `ok /subscribe "north korea" russia`, "ok /help"}, bob.ID: {"ok /whatever is this"}}
	gotTexts := replyTexts(sent)
	for i, s := range sent {
		if s.ParseMode != "" || s.MessageThreadID != 0 || s.ReplyTo != 0 || s.LinkPreview == nil || !s.LinkPreview.IsDisabled {
			t.Errorf("reply %d = %+v, want plain text, no quote, no preview", i, s)
		}
	}
	if !reflect.DeepEqual(gotTexts, wantTexts) {
		t.Errorf("replies = %v, want %v", gotTexts, wantTexts)
	}
	if len(reqs) != 4 {
		t.Errorf("handled %d requests, want 4", len(reqs))
	}
}

func TestGroupCommandsAndAdminRights(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	// Two groups, so that replies stay within a group's burst of 3.
	group := telegramfake.Chat{ID: -4001, Type: telegramfake.Group, Title: "Newsroom"}
	other := telegramfake.Chat{ID: -4002, Type: telegramfake.Supergroup, Title: "Desk"}
	e.fake.AddChat(group)
	e.fake.AddChat(other)
	e.fake.SetChatMember(group.ID, ann.ID, telegramfake.Administrator)
	e.fake.SetChatMember(other.ID, cara.ID, telegramfake.Creator)
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	m1 := e.fake.GroupMessage(group, bob, "/list@newsalert_test_bot")
	e.fake.GroupMessage(group, bob, "/list@other_bot")
	e.fake.GroupMessage(group, bob, "/roll 2d6") // unknown bare command: another bot's
	m2 := e.fake.GroupMessage(group, ann, "/subscribe ukraine grain")
	m3 := e.fake.GroupMessage(other, cara, "/pause")
	m4 := e.fake.AnonymousAdminMessage(other, "/resume")
	m5 := e.fake.GroupMessage(group, ann, "/unsubscribe 2") // admin answer cached
	reqs, manage := byChat(rec.wait(t, 5))
	wantCmd := []string{"list", "subscribe", "pause", "resume", "unsubscribe"}
	wantManage := []string{"no", "yes", "yes", "yes", "yes"}
	wantChat := []int64{group.ID, group.ID, other.ID, other.ID, group.ID}
	// Handled per chat in order: group's three, then other's two.
	order := []int{0, 1, 4, 2, 3}
	for k, i := range order {
		r := reqs[k]
		if r.Command != wantCmd[i] || r.ChatKind != bot.Group || r.Chat != tgChat(wantChat[i], "") || manage[k] != wantManage[i] {
			t.Errorf("request %d = %+v (CanManageChat %s), want /%s in the group, CanManageChat %s", i, stripRequest(r), manage[k], wantCmd[i], wantManage[i])
		}
	}
	if n := len(e.fake.Calls("getChatMember")); n != 3 {
		t.Errorf("getChatMember calls = %d, want 3 (bob, ann once thanks to the cache, cara)", n)
	}
	sent := waitSent(t, e.fake, 5)
	byReply := map[[2]int64]telegramfake.Sent{}
	for _, s := range sent {
		byReply[[2]int64{s.ChatID, int64(s.ReplyTo)}] = s
	}
	for i, m := range []telegramfake.Message{m1, m2, m3, m4, m5} {
		if s, ok := byReply[[2]int64{m.Chat.ID, int64(m.MessageID)}]; !ok || s.ChatID != wantChat[i] || !strings.HasPrefix(s.Text, "ok /"+wantCmd[i]) {
			t.Errorf("reply to message %d = %+v, want a reply in chat %d", m.MessageID, s, wantChat[i])
		}
	}
}

func TestForumTopicCommand(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	forum := telegramfake.Chat{ID: -1005001, Type: telegramfake.Supergroup, Title: "Desk", IsForum: true}
	e.fake.SetChatMember(forum.ID, ann.ID, telegramfake.Administrator)
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	m := e.fake.TopicMessage(forum, 77, ann, "/subscribe@newsalert_test_bot gaza ceasefire")
	reqs, manage := rec.wait(t, 1)
	want := bot.Request{Chat: tgChat(forum.ID, "77"), ChatKind: bot.Group, User: user(ann, "Ann Lee"), Command: "subscribe", Args: "gaza ceasefire"}
	if got := stripRequest(reqs[0]); !reflect.DeepEqual(got, want) || manage[0] != "yes" {
		t.Errorf("request = %+v (%s), want %+v (yes)", got, manage[0], want)
	}
	sent := waitSent(t, e.fake, 1)
	if s := sent[0]; s.ChatID != forum.ID || s.MessageThreadID != 77 || s.ReplyTo != m.MessageID || s.Text != "ok /subscribe gaza ceasefire" {
		t.Errorf("reply = %+v, want it in topic 77 replying to %d", s, m.MessageID)
	}
}

func TestChannelCommandsFromPrivateChat(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	channel := telegramfake.Chat{ID: -1009001, Type: telegramfake.Channel, Title: "World Desk", Username: "worlddesk"}
	e.fake.AddChat(channel)
	e.fake.AddChat(telegramfake.Chat{ID: -1009002, Type: telegramfake.Supergroup, Title: "Chat", Username: "worldchat"})
	e.fake.SetChatMember(channel.ID, ann.ID, telegramfake.Administrator)
	e.fake.SetChatMember(channel.ID, bob.ID, telegramfake.Member)
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)

	tests := []struct {
		name      string
		from      telegramfake.User
		text      string
		botStatus string
		want      *bot.Request // nil: refused
		reply     string
	}{
		{name: "bot cannot post yet", from: ann, text: "/subscribe @worlddesk ukraine", botStatus: telegramfake.Left,
			reply: "Add me to @worlddesk as an administrator who can post messages, then try again."},
		{name: "admin subscribes", from: ann, text: "/subscribe @worlddesk ukraine grain", botStatus: telegramfake.Administrator,
			want:  &bot.Request{Chat: tgChat(channel.ID, ""), ChatKind: bot.Channel, User: user(ann, "Ann Lee"), Command: "subscribe", Args: "ukraine grain"},
			reply: "ok /subscribe ukraine grain"},
		{name: "admin lists", from: ann, text: "/list @WorldDesk", botStatus: telegramfake.Administrator,
			want:  &bot.Request{Chat: tgChat(channel.ID, ""), ChatKind: bot.Channel, User: user(ann, "Ann Lee"), Command: "list"},
			reply: "ok /list"},
		{name: "member refused", from: bob, text: "/unsubscribe @worlddesk 1", botStatus: telegramfake.Administrator,
			reply: "Only administrators of @worlddesk can change its alerts."},
		{name: "unknown channel", from: ann, text: "/subscribe @nosuchchannel x", botStatus: telegramfake.Administrator,
			reply: "I can't find the channel @nosuchchannel. Check the name; the channel must be public."},
		{name: "invalid name", from: ann, text: "/subscribe @no! x", botStatus: telegramfake.Administrator,
			reply: "@no! is not a channel name: use the channel's public @username."},
		{name: "not a channel", from: ann, text: "/subscribe @worldchat x", botStatus: telegramfake.Administrator,
			reply: "@worldchat is not a channel. In a group, send the command in the group itself."},
	}
	handled := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.fake.SetChatMember(channel.ID, e.fake.BotID, tt.botStatus)
			e.fake.PrivateMessage(tt.from, tt.text)
			sent := waitSent(t, e.fake, i+1)
			if s := sent[i]; s.ChatID != tt.from.ID || s.Text != tt.reply {
				t.Errorf("reply = %d %q, want %d %q", s.ChatID, s.Text, tt.from.ID, tt.reply)
			}
			reqs, manage := rec.requests()
			if tt.want == nil {
				if len(reqs) != handled {
					t.Errorf("a refused command reached the handler: %+v", reqs[len(reqs)-1])
				}
				return
			}
			handled++
			if len(reqs) != handled {
				t.Fatalf("handled %d, want %d", len(reqs), handled)
			}
			if got := stripRequest(reqs[handled-1]); !reflect.DeepEqual(got, *tt.want) || manage[handled-1] != "yes" {
				t.Errorf("request = %+v (%s), want %+v (yes)", got, manage[handled-1], *tt.want)
			}
		})
	}
}

func TestChannelPostCommand(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	channel := telegramfake.Chat{ID: -1009100, Type: telegramfake.Channel, Title: "Alerts"}
	e.fake.AddChat(channel)
	e.fake.SetChatMember(channel.ID, e.fake.BotID, telegramfake.Administrator)
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	e.fake.ChannelPost(channel, "/subscribe climate")
	reqs, manage := rec.wait(t, 1)
	want := bot.Request{Chat: tgChat(channel.ID, ""), ChatKind: bot.Channel,
		User: bot.User{Platform: "telegram", ID: strconv.FormatInt(channel.ID, 10), Name: "Alerts"}, Command: "subscribe", Args: "climate"}
	if got := stripRequest(reqs[0]); !reflect.DeepEqual(got, want) || manage[0] != "yes" {
		t.Errorf("request = %+v (%s), want %+v (yes)", got, manage[0], want)
	}
	if s := waitSent(t, e.fake, 1)[0]; s.ChatID != channel.ID || s.Text != "ok /subscribe climate" {
		t.Errorf("reply = %+v", s)
	}
}

func TestImportOPMLAttachment(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	opml := []byte(`<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/></body></opml>`)
	private := telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: ann.FirstName}
	e.fake.DocumentMessage(private, ann, "/importopml", "feeds.opml", opml)
	reqs, _ := rec.wait(t, 1)
	if att := reqs[0].Attachment; att == nil || att.Name != "feeds.opml" || !bytes.Equal(att.Data, opml) || reqs[0].Command != "importopml" {
		t.Fatalf("request = %+v, want /importopml with the file", reqs[0])
	}
	e.fake.DocumentMessage(private, ann, "/importopml", "huge.opml", bytes.Repeat([]byte("x"), maxAttachment+1))
	sent := waitSent(t, e.fake, 2)
	if got := sent[1].Text; got != "The file is too large: send an OPML file of at most 1 MiB." {
		t.Errorf("reply to a large file = %q", got)
	}
	if reqs, _ := rec.requests(); len(reqs) != 1 {
		t.Errorf("a too-large file reached the handler")
	}
}

func TestRestartDoesNotRepeatCommands(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a1 := e.adapter(nil)
	rec1 := newRecorder()
	stop1 := e.serve(a1, rec1)
	e.fake.PrivateMessage(ann, "/start")
	e.fake.PrivateMessage(ann, "/list")
	rec1.wait(t, 2)
	stop1()

	// Telegram may still hold updates the first process handled but never
	// confirmed: a second fake with the same token replays them.
	replay := telegramfake.New(t, telegramfake.Options{Token: e.fake.Token})
	replay.PrivateMessage(ann, "/start")
	replay.PrivateMessage(ann, "/list")
	replay.PrivateMessage(ann, "/pause")
	a2 := e.adapter(func(o *Options) { o.APIURL = replay.URL(); o.ProcessID = "proc-b" })
	rec2 := newRecorder()
	e.serve(a2, rec2)
	reqs, _ := rec2.wait(t, 1)
	if reqs[0].Command != "pause" {
		t.Errorf("after a restart the first handled command is /%s, want /pause", reqs[0].Command)
	}
	calls := replay.Calls("getUpdates")
	if off, _ := calls[0].Params["offset"].(int64); off != 100003 {
		t.Errorf("first getUpdates after restart used offset %v, want 100003", calls[0].Params["offset"])
	}
	time.Sleep(200 * time.Millisecond) // give a wrong implementation time to repeat
	if reqs, _ := rec2.requests(); len(reqs) != 1 {
		t.Errorf("handled %d commands after restart, want 1: %+v", len(reqs), reqs)
	}
}

func TestOnlyOneProcessPolls(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a1 := e.adapter(func(o *Options) { o.ProcessID = "proc-1" })
	a2 := e.adapter(func(o *Options) { o.ProcessID = "proc-2" })
	rec1, rec2 := newRecorder(), newRecorder()
	stop1 := e.serve(a1, rec1)
	waitCalls(t, e.fake, "getUpdates", 1) // a1 holds the lease
	e.serve(a2, rec2)
	for i := range 5 {
		e.fake.PrivateMessage(ann, "/test round "+strconv.Itoa(i))
	}
	rec1.wait(t, 5)
	time.Sleep(700 * time.Millisecond) // more than a lease retry of a2
	if reqs, _ := rec2.requests(); len(reqs) != 0 {
		t.Errorf("the second process handled %d updates while the first held the lease", len(reqs))
	}
	stop1()
	e.fake.PrivateMessage(ann, "/test after takeover")
	reqs, _ := rec2.wait(t, 1)
	if reqs[0].Args != "after takeover" {
		t.Errorf("second process handled %+v", reqs[0])
	}
	if got, _ := rec1.requests(); len(got) != 5 {
		t.Errorf("first process handled %d, want 5", len(got))
	}
	for _, c := range e.fake.Calls("getUpdates") {
		if c.Status == http.StatusConflict {
			t.Errorf("getUpdates answered 409: %s", c.Description)
		}
	}
}

func waitCalls(t testing.TB, f *telegramfake.Server, method string, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.WaitCalls(ctx, method, n); err != nil {
		t.Fatal(err)
	}
}

func TestConflictIsBackedOff(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	// Someone set a webhook behind our back: getUpdates answers 409.
	if err := a.call(context.Background(), "setWebhook", map[string]any{"url": "https://example.com/hook"}, nil); err != nil {
		t.Fatal(err)
	}
	stop := e.serve(a, newRecorder())
	time.Sleep(2500 * time.Millisecond)
	stop()
	n := len(e.fake.Calls("getUpdates"))
	if n < 1 || n > 3 {
		t.Errorf("getUpdates called %d times in 2.5s of 409s, want at most 3 (backoff 1s, 2s)", n)
	}
	if c := strings.Count(e.logs.String(), "getUpdates conflict"); c != 1 {
		t.Errorf("conflict logged %d times, want once:\n%s", c, e.logs)
	}
}

func TestWebhookMode(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	var a *Adapter
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.WebhookHandler().ServeHTTP(w, r) }))
	defer hook.Close()
	const sec = "wh_secret-123"
	a = e.adapter(func(o *Options) { o.WebhookURL = hook.URL + "/telegram/webhook"; o.WebhookSecret = secret.New(sec) })
	if info := e.fake.Webhook(); info == nil || info.URL != hook.URL+"/telegram/webhook" || info.SecretToken != sec ||
		!reflect.DeepEqual(info.AllowedUpdates, []string{"message", "channel_post", "my_chat_member"}) {
		t.Fatalf("webhook = %+v", info)
	}
	if n := len(e.fake.Calls("deleteWebhook")); n != 0 {
		t.Errorf("webhook mode called deleteWebhook %d times", n)
	}
	rec := newRecorder()
	e.serve(a, rec)
	e.fake.PrivateMessage(ann, "/start")
	reqs, _ := rec.wait(t, 1)
	if reqs[0].Command != "start" {
		t.Errorf("request = %+v", reqs[0])
	}
	if s := waitSent(t, e.fake, 1)[0]; s.Text != "ok /start" || s.ChatID != ann.ID {
		t.Errorf("reply = %+v", s)
	}

	body, _ := json.Marshal(map[string]any{"update_id": 555, "message": map[string]any{
		"message_id": 9, "date": 1, "text": "/list", "chat": map[string]any{"id": ann.ID, "type": "private"},
		"from": map[string]any{"id": ann.ID, "is_bot": false, "first_name": "Ann"}}})
	post := func(secret string, body []byte) int {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		w := httptest.NewRecorder()
		a.WebhookHandler().ServeHTTP(w, req)
		return w.Code
	}
	tests := []struct {
		name   string
		secret string
		body   []byte
		want   int
	}{
		{"no secret", "", body, 401},
		{"wrong secret", "wh_secret-124", body, 403},
		{"too large", sec, bytes.Repeat([]byte(" "), maxWebhookBody+1), 413},
		{"not json", sec, []byte("{"), 400},
		{"no update id", sec, []byte(`{"message":{}}`), 400},
		{"undecodable update is skipped", sec, []byte(`{"update_id":554,"message":{"chat":"not an object"}}`), 200},
		{"update", sec, body, 200},
		{"same update again", sec, body, 200},
	}
	for _, tt := range tests {
		if got := post(tt.secret, tt.body); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}
	w := httptest.NewRecorder()
	a.WebhookHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/telegram/webhook", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", w.Code)
	}
	reqs, _ = rec.wait(t, 2)
	time.Sleep(100 * time.Millisecond) // a second /list would be handled by now
	reqs, _ = rec.requests()
	if len(reqs) != 2 || reqs[1].Command != "list" {
		t.Errorf("handled %+v, want /start then /list once", reqs)
	}
	if !strings.Contains(e.logs.String(), `"msg":"telegram: undecodable update skipped","update_id":554`) {
		t.Errorf("undecodable update not logged:\n%s", e.logs)
	}
}

func TestLostLeaseStopsPolling(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	rec := newRecorder()
	e.serve(a, rec)
	waitCalls(t, e.fake, "getUpdates", 1)
	ctx := context.Background()
	// Another process took the lease (ours expired while Redis was away).
	if err := e.rdb.Set(ctx, a.keys.poller, "intruder", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // a renewal (every 200ms) notices
	e.fake.PrivateMessage(ann, "/start")
	time.Sleep(500 * time.Millisecond)
	if reqs, _ := rec.requests(); len(reqs) != 0 {
		t.Fatalf("handled %+v without the lease", reqs)
	}
	if err := e.rdb.Del(ctx, a.keys.poller).Err(); err != nil {
		t.Fatal(err)
	}
	if reqs, _ := rec.wait(t, 1); reqs[0].Command != "start" {
		t.Errorf("after getting the lease back: %+v", reqs[0])
	}
	if !strings.Contains(e.logs.String(), "telegram polling lease lost") {
		t.Errorf("lease loss not logged:\n%s", e.logs)
	}
}
