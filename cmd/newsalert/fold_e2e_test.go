package main

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

// foldEnv is the environment of a `newsalert run` against fake.
func foldEnv(fake *telegramfake.Server) map[string]string {
	return map[string]string{
		"NEWSALERT_REDIS_URL":              redistest.URL(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              "off",
		"NEWSALERT_ADMINS":                 "telegram:1001",
		"TELEGRAM_BOT_TOKEN":               fake.Token,
		"TELEGRAM_API_URL":                 fake.URL(),
		"DISCORD_BOT_TOKEN":                "",
		"NEWSALERT_FETCH_ARTICLES":         "false",
	}
}

// alertsIn counts, per chat, the new messages (not edits) whose text
// contains title.
func alertsIn(fake *telegramfake.Server, title string) map[int64]int {
	n := map[int64]int{}
	for _, s := range fake.Sent() {
		if s.Method == "sendMessage" && strings.Contains(s.PlainText, title) {
			n[s.ChatID] += strings.Count(s.PlainText, title)
		}
	}
	return n
}

// TestTemplatedSeriesReachEveryChat publishes 4 look-alike items of one
// feed ("Ukraine burst story 1 of 4" ... "4 of 4") for 125 subscribed
// chats: all 500 alerts arrive, each once. Items of one source never fold
// into each other.
func TestTemplatedSeriesReachEveryChat(t *testing.T) {
	if testing.Short() {
		t.Skip("125 chats through the fake Bot API")
	}
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	f := &testFeed{}
	f.add("0", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	b := startTelegramBot(t, foldEnv(fake), "fold-series")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Wire")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Wire")
	const chats = 125
	users := make([]telegramfake.User, chats)
	for i := range users {
		users[i] = telegramfake.User{ID: int64(5000 + i), FirstName: fmt.Sprintf("Reader %d", i)}
		fake.PrivateMessage(users[i], "/subscribe ukraine")
	}
	for _, u := range users {
		waitText(t, fake, u.ID, 0, "Subscribed (#1): ukraine")
	}

	const items = 4
	titles := make([]string, items)
	for i := range titles {
		titles[i] = fmt.Sprintf("Ukraine burst story %d of %d", i+1, items)
		f.add(fmt.Sprintf("burst-%d", i+1), titles[i], fmt.Sprintf("Ukraine burst story number %d of %d.", i+1, items))
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		missing := 0
		for _, title := range titles {
			got := alertsIn(fake, title)
			for _, u := range users {
				if got[u.ID] == 0 {
					missing++
				}
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d alerts never arrived", missing, chats*items)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // give a repeat the chance to show
	total := 0
	for _, title := range titles {
		for chat, n := range alertsIn(fake, title) {
			total += n
			if n != 1 {
				t.Errorf("chat %d got %q %d times, want once", chat, title, n)
			}
		}
	}
	if total != chats*items {
		t.Errorf("%d alerts arrived, want %d", total, chats*items)
	}
	if strings.Contains(b.logs.String(), "folded") {
		t.Errorf("a story of the series was folded:\n%s", b.logs.String())
	}
}

// TestSameEventFromTwoOutletsIsOneAlertAndOneEdit publishes one event in
// two outlets' words: the chat gets one alert, then one "also reported by"
// edit; the second outlet republishing the same story (new item) folds
// again, and as the message would not change, nothing is sent.
func TestSameEventFromTwoOutletsIsOneAlertAndOneEdit(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	alpha, beta := &testFeed{}, &testFeed{}
	alpha.add("a0", "Markets calm", "Nothing to see.")
	beta.add("b0", "Weather mild", "Nothing to see.")
	srvA, srvB := httptest.NewServer(alpha), httptest.NewServer(beta)
	defer srvA.Close()
	defer srvB.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	b := startTelegramBot(t, foldEnv(fake), "fold-edit")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srvA.URL+"/feed.xml 1s Alpha")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Alpha")
	fake.PrivateMessage(tgAdmin, "/addsource "+srvB.URL+"/feed.xml 1s Beta")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 2: Beta")
	fake.PrivateMessage(tgUser, "/subscribe interest rates")
	waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): interest rates")

	titleA := "Fed delivers half-point interest rate cut"
	alpha.add("a1", titleA, "The Federal Reserve cut interest rates by half a percentage point on Wednesday, its first reduction since 2020, as inflation cooled.")
	waitText(t, fake, tgUser.ID, 0, titleA)
	beta.add("b1", "Federal Reserve cuts interest rates by half a point", "The US Federal Reserve lowered its benchmark interest rate by half a percentage point on Wednesday, the first cut since 2020, citing cooling inflation.")
	deadline := time.Now().Add(20 * time.Second)
	for len(fake.Calls("editMessageText")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first alert was never edited")
		}
		time.Sleep(20 * time.Millisecond)
	}
	edits := fake.Calls("editMessageText")
	if len(edits) != 1 || edits[0].Status != 200 {
		t.Fatalf("edits = %+v, want one successful edit", edits)
	}
	var edited telegramfake.Sent
	for _, s := range fake.Sent() {
		if s.Method == "editMessageText" {
			edited = s
		}
	}
	if !strings.Contains(edited.PlainText, titleA) || !strings.Contains(edited.PlainText, "Beta") {
		t.Errorf("edited alert = %q, want the first alert with Beta as another source", edited.PlainText)
	}

	// Beta publishes the same story again as a new item: it folds into the
	// same alert, which already names Beta, so no edit is sent.
	beta.add("b2", "Federal Reserve cuts interest rates by half a point", "The US Federal Reserve lowered its benchmark interest rate by half a percentage point on Wednesday, the first cut since 2020, citing cooling inflation.")
	deadline = time.Now().Add(20 * time.Second)
	for strings.Count(b.logs.String(), "story folded into an earlier alert") < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the repeated story was not folded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // the edit would go out now
	if n := len(fake.Calls("editMessageText")); n != 1 {
		t.Errorf("%d editMessageText calls, want 1: an edit that changes nothing was sent", n)
	}
	for _, s := range fake.Sent() {
		if s.Method == "sendMessage" && s.ChatID == tgUser.ID && strings.Contains(s.PlainText, "Federal Reserve cuts") {
			t.Errorf("the second outlet's story was alerted separately: %q", s.PlainText)
		}
	}
	logs := b.logs.String()
	if !strings.Contains(logs, `title="Federal Reserve cuts interest rates by half a point"`) || !strings.Contains(logs, "into_title="+`"`+titleA+`"`) {
		t.Errorf("fold log lacks both titles:\n%s", logs)
	}
}
