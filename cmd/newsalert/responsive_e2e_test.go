package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

// dripFeed serves a valid RSS feed whose body trickles out a byte at a
// time until the test calls finish; later requests are served at once.
type dripFeed struct {
	started  chan struct{} // closed when the first request arrives
	finishCh chan struct{}
	once     sync.Once

	mu       sync.Mutex
	finished time.Time // when the dripping body was complete
}

func newDripFeed() *dripFeed {
	return &dripFeed{started: make(chan struct{}), finishCh: make(chan struct{})}
}

func (d *dripFeed) finish() { close(d.finishCh) }

func (d *dripFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	head := `<?xml version="1.0"?><rss version="2.0"><channel><title>Drip</title>`
	tail := `<item><title>Slow news</title><link>https://drip.example/1</link><guid>d1</guid><description>It came slowly.</description></item></channel></rss>`
	first := false
	d.once.Do(func() { first = true; close(d.started) })
	if !first {
		fmt.Fprint(w, head+tail)
		return
	}
	fmt.Fprint(w, head)
	w.(http.Flusher).Flush()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-tick.C:
			fmt.Fprint(w, " ")
			w.(http.Flusher).Flush()
		case <-d.finishCh:
			done = true
		case <-r.Context().Done():
			return
		}
	}
	fmt.Fprint(w, tail)
	w.(http.Flusher).Flush()
	d.mu.Lock()
	d.finished = time.Now()
	d.mu.Unlock()
}

func (d *dripFeed) finishedAt() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.finished
}

// telegramEnv is the environment of `newsalert run` against fake with a
// real Redis.
func telegramEnv(fake *telegramfake.Server) map[string]string {
	return map[string]string{
		"NEWSALERT_REDIS_URL":              redistest.URL(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "10m",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_FETCH_TIMEOUT":          "30s",
		"NEWSALERT_HTTP_ADDR":              "off",
		"NEWSALERT_ADMINS":                 "telegram:1001",
		"TELEGRAM_BOT_TOKEN":               fake.Token,
		"TELEGRAM_API_URL":                 fake.URL(),
		"DISCORD_BOT_TOKEN":                "",
		"NEWSALERT_FETCH_ARTICLES":         "false",
	}
}

// TestSlowSourceDoesNotStallOtherChats: while /addsource of a feed whose
// server drips its body is pending, /sources from a group and /subscribe
// from another private chat are answered; the slow command is acknowledged
// at once ("Checking …") and its acknowledgement is edited into the answer
// when the fetch ends.
func TestSlowSourceDoesNotStallOtherChats(t *testing.T) {
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	group := telegramfake.Chat{ID: -1003001, Type: telegramfake.Supergroup, Title: "Desk"}
	fake.AddChat(group)
	fake.SetChatMember(group.ID, tgAdmin.ID, telegramfake.Administrator)
	drip := newDripFeed()
	srv := httptest.NewServer(drip)
	defer srv.Close()
	finished := false
	defer func() {
		if !finished {
			drip.finish()
		}
	}()

	b := startTelegramBot(t, telegramEnv(fake), "slow-one")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram polling lease acquired")

	url := srv.URL + "/drip.xml"
	fake.PrivateMessage(tgAdmin, "/addsource "+url+" 1m Drip")
	select {
	case <-drip.started:
	case <-time.After(15 * time.Second):
		t.Fatal("the bot never fetched the dripping feed")
	}
	sentAt := time.Now()
	fake.GroupMessage(group, tgAdmin, "/sources@newsalert_bot")
	fake.PrivateMessage(tgUser, "/subscribe ukraine")
	ack := waitText(t, fake, tgAdmin.ID, 0, "Checking "+url+" (up to 30 s)")
	sources := waitText(t, fake, group.ID, 0, "No sources yet")
	sub := waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): ukraine")
	// All three arrived while the fetch was still dripping (it ends only
	// below), so no chat waited for the slow command.
	t.Logf("while the fetch was pending: acknowledgement after %s, /sources after %s, /subscribe after %s",
		ack.At.Sub(sentAt), sources.At.Sub(sentAt), sub.At.Sub(sentAt))
	for _, s := range sentTo(fake, tgAdmin.ID, 0) {
		if strings.Contains(s.Text, "Added source") {
			t.Fatalf("/addsource answered before its fetch ended: %q", s.Text)
		}
	}

	drip.finish()
	finished = true
	added := waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Drip")
	if end := drip.finishedAt(); added.At.Before(end) {
		t.Errorf("answer at %s, before the fetch ended at %s", added.At, end)
	}
	if added.Method != "editMessageText" || added.MessageID != ack.MessageID {
		t.Errorf("answer = %s of message %d, want the acknowledgement (message %d) edited", added.Method, added.MessageID, ack.MessageID)
	}
}

// TestManyCommandsInOneChatAllAnswered: 300 /addsource pasted into one
// private chat (Telegram's real rate limits in the fake) are all handled
// and every outcome is told, merged into few messages; none is dropped.
func TestManyCommandsInOneChatAllAnswered(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 300 sources")
	}
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><item><title>x</title><guid>%s</guid></item></channel></rss>`, r.URL.Path, r.URL.Path)
	}))
	defer feeds.Close()
	env := telegramEnv(fake)
	env["NEWSALERT_POLL_INTERVAL"] = "1h"
	b := startTelegramBot(t, env, "paste-one")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram polling lease acquired")

	const n = 300
	for i := range n {
		fake.PrivateMessage(tgAdmin, fmt.Sprintf("/addsource %s/f/%d.xml", feeds.URL, i))
	}
	// Every command's outcome is in the chat (the final text of each
	// message, acknowledgements edited into answers).
	deadline := time.Now().Add(3 * time.Minute)
	var missing []int
	for {
		final := map[int]string{}
		for _, s := range sentTo(fake, tgAdmin.ID, 0) {
			final[s.MessageID] = s.Text
		}
		var all strings.Builder
		for _, text := range final {
			all.WriteString(text + "\n")
		}
		missing = missing[:0]
		for i := range n {
			if !strings.Contains(all.String(), fmt.Sprintf("%s/f/%d.xml,", feeds.URL, i)) {
				missing = append(missing, i)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(missing) > 0 {
		t.Fatalf("%d of %d /addsource got no answer, e.g. %v", len(missing), n, missing[:min(5, len(missing))])
	}
	messages := len(sentTo(fake, tgAdmin.ID, 0))
	t.Logf("%d answers in %d messages", n, messages)
	if messages >= n {
		t.Errorf("%d messages for %d answers: queued replies were not merged", messages, n)
	}
	if strings.Contains(b.logs.String(), "dropped") {
		t.Errorf("a reply was dropped:\n%s", b.logs.String())
	}
}
