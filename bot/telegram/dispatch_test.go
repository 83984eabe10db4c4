package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/secret"
)

// gate is a handler whose commands named "slow" report progress and wait
// until released; others answer at once.
type gate struct {
	release chan struct{}
	mu      sync.Mutex
	runs    map[string]int // command text -> times run
}

func newGate() *gate { return &gate{release: make(chan struct{}), runs: map[string]int{}} }

func (g *gate) Handle(ctx context.Context, req bot.Request) bot.Reply {
	g.mu.Lock()
	g.runs[req.Command+" "+req.Args]++
	g.mu.Unlock()
	if req.Command == "slow" {
		if req.Progress != nil {
			req.Progress("Checking " + req.Args + " (up to 30 s)")
		}
		select {
		case <-g.release:
		case <-ctx.Done():
		}
	}
	return bot.Reply{Text: strings.TrimSpace("ok /" + req.Command + " " + req.Args)}
}

func (g *gate) count(cmd string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.runs[cmd]
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func lastText(f *telegramfake.Server, chat int64, want string) (telegramfake.Sent, bool) {
	for _, s := range f.Sent() {
		if s.ChatID == chat && strings.Contains(s.Text, want) {
			return s, true
		}
	}
	return telegramfake.Sent{}, false
}

// A slow command in one chat holds up neither other chats nor polling; it
// is acknowledged at once and the acknowledgement is edited into its
// answer; the chat's next command waits for it (order within a chat).
func TestSlowCommandAcknowledgedOthersAnswered(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	g := newGate()
	e.serve(a, g)
	e.fake.PrivateMessage(ann, "/slow https://x.example/feed")
	e.fake.PrivateMessage(ann, "/after")
	e.fake.PrivateMessage(bob, "/quick")
	var ack telegramfake.Sent
	waitFor(t, "the slow command is acknowledged", func() (ok bool) {
		ack, ok = lastText(e.fake, ann.ID, "Checking https://x.example/feed (up to 30 s)")
		return ok
	})
	waitFor(t, "another chat is answered", func() bool { _, ok := lastText(e.fake, bob.ID, "ok /quick"); return ok })
	if _, ok := lastText(e.fake, ann.ID, "ok /after"); ok || g.count("after ") != 0 {
		t.Fatal("the chat's second command ran before its first finished")
	}
	close(g.release)
	var answer telegramfake.Sent
	waitFor(t, "the slow command's answer", func() (ok bool) {
		answer, ok = lastText(e.fake, ann.ID, "ok /slow")
		return ok
	})
	if answer.Method != "editMessageText" || answer.MessageID != ack.MessageID {
		t.Errorf("answer = %s of message %d, want an edit of the acknowledgement %d", answer.Method, answer.MessageID, ack.MessageID)
	}
	waitFor(t, "the chat's second command is answered", func() bool { _, ok := lastText(e.fake, ann.ID, "ok /after"); return ok })
	waitFor(t, "nothing left pending", func() bool { return e.rdb.HLen(context.Background(), a.keys.pending).Val() == 0 })
}

// An update accepted (stored with the offset past it) but not answered
// before a crash is handled by the next holder; one whose answer was
// stored is answered again without running the command twice.
func TestAcceptedUpdatesSurviveACrash(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private})
	a := e.adapter(nil)
	ctx := context.Background()
	raw := func(id int, text string) string {
		b, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
			"message_id": id, "date": 1, "text": text, "chat": map[string]any{"id": ann.ID, "type": "private"},
			"from": map[string]any{"id": ann.ID, "is_bot": false, "first_name": "Ann"}}})
		return string(b)
	}
	answer, _ := json.Marshal(storedReply{ChatID: ann.ID, Text: "ok /subscribe grain (stored)"})
	e.rdb.HSet(ctx, a.keys.pending, "900", raw(900, "/subscribe ukraine"), "901", raw(901, "/subscribe grain"), "r:901", string(answer))
	e.rdb.Set(ctx, a.keys.offset, "901", 0)
	g := newGate()
	e.serve(a, g)
	defer func() {
		if t.Failed() {
			t.Log(e.logs.String())
		}
	}()
	waitFor(t, "the accepted update is handled", func() bool { _, ok := lastText(e.fake, ann.ID, "ok /subscribe ukraine"); return ok })
	waitFor(t, "the stored answer is sent", func() bool { _, ok := lastText(e.fake, ann.ID, "ok /subscribe grain (stored)"); return ok })
	if n := g.count("subscribe grain"); n != 0 {
		t.Errorf("the answered command ran %d more times", n)
	}
	waitFor(t, "nothing left pending", func() bool { return e.rdb.HLen(ctx, a.keys.pending).Val() == 0 })
	// The next update polled is 902: the offset never went back.
	for _, c := range e.fake.Calls("getUpdates") {
		if off, ok := c.Params["offset"].(int64); ok && off != 902 {
			t.Errorf("getUpdates offset %d, want 902", off)
		}
	}
}

// 300 commands from one private chat all get their answer, merged into
// few messages, even with Telegram's rate limits.
func TestRepliesQueuedNotDropped(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	g := newGate()
	e.serve(a, g)
	const n = 300
	for i := range n {
		e.fake.PrivateMessage(ann, "/add "+strconv.Itoa(i))
	}
	waitFor(t, "every answer is sent", func() bool {
		var all strings.Builder
		for _, s := range e.fake.Sent() {
			all.WriteString(s.Text + "\n")
		}
		for i := range n {
			if !strings.Contains(all.String(), "ok /add "+strconv.Itoa(i)+"\n") {
				return false
			}
		}
		return true
	})
	if m := len(e.fake.Sent()); m >= n/10 {
		t.Errorf("%d messages for %d answers, want them merged", m, n)
	}
}

// In webhook mode too (Telegram posts updates one at a time), a slow
// command holds up no other chat: the webhook answers once the update is
// accepted, not once it is handled.
func TestWebhookSlowCommandHoldsUpNoOtherChat(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	var a *Adapter
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.WebhookHandler().ServeHTTP(w, r) }))
	defer hook.Close()
	a = e.adapter(func(o *Options) {
		o.WebhookURL = hook.URL + "/telegram/webhook"
		o.WebhookSecret = secret.New("wh_secret-123")
	})
	g := newGate()
	e.serve(a, g)
	e.fake.PrivateMessage(ann, "/slow https://x.example/feed")
	e.fake.PrivateMessage(bob, "/quick")
	waitFor(t, "the slow command is acknowledged", func() bool {
		_, ok := lastText(e.fake, ann.ID, "Checking https://x.example/feed")
		return ok
	})
	waitFor(t, "another chat is answered while it runs", func() bool { _, ok := lastText(e.fake, bob.ID, "ok /quick"); return ok })
	close(g.release)
	waitFor(t, "the slow command's answer", func() bool { _, ok := lastText(e.fake, ann.ID, "ok /slow"); return ok })
	waitFor(t, "nothing left pending", func() bool { return e.rdb.HLen(context.Background(), a.keys.webhookPending).Val() == 0 })
}
