package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/secret"
)

func sendOK(t *testing.T, a *Adapter, chat bot.Chat, batch []bot.Alert) bot.Receipt {
	t.Helper()
	r, retry, err := a.Send(waitCtx(t), chat, batch)
	if err != nil {
		t.Fatalf("Send: %v (retry %v)", err, retry)
	}
	return r
}

func TestSendRendersEmbeds(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	alerts := loadAlerts(t)
	r := sendOK(t, a, discordChat, alerts[:2])
	msgs := f.Messages(channelID)
	if len(msgs) != 1 || len(msgs[0].Embeds) != 2 {
		t.Fatalf("got %d messages, want one with 2 embeds: %+v", len(msgs), msgs)
	}
	m := msgs[0]
	if len(r.MessageIDs) != 2 || r.MessageIDs[0] != m.ID || r.MessageIDs[1] != m.ID {
		t.Errorf("receipt %v, want both alerts in %s", r.MessageIDs, m.ID)
	}
	e := m.Embeds[0]
	checks := []struct{ what, got, want string }{
		{"title", e.Title, "Ukraine and Russia agree Black Sea grain corridor extension"},
		{"url", e.URL, "https://www.bbc.co.uk/news/world-europe-68412345"},
		{"timestamp", e.Timestamp, "2026-03-14T09:21:00Z"},
		{"author", e.Author.Name, "BBC News - World"},
		{"thumbnail", e.Thumbnail.URL, "https://ichef.bbci.co.uk/news/1024/branded_news/1A2B/production/_132987654_grain.jpg"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	for _, want := range []string{"**Ukraine** and Russia", "Black Sea **grain** corridor", "\n\nThe deal lets cargo ships"} {
		if !strings.Contains(e.Description, want) {
			t.Errorf("description lacks %q:\n%s", want, e.Description)
		}
	}
	e2 := m.Embeds[1]
	if !strings.Contains(e2.Description, "**North Korea** fired") || !strings.Contains(e2.Description, "ballistic **missile** off") {
		t.Errorf("phrase or prefix terms not bold:\n%s", e2.Description)
	}
	if e2.Thumbnail != nil {
		t.Errorf("thumbnail without an image: %+v", e2.Thumbnail)
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions %+v, want parse []", m.AllowedMentions)
	}
	// javascript: image URLs are dropped, the rest of the alert goes out
	sendOK(t, a, discordChat, alerts[3:4])
	if th := f.Messages(channelID)[1].Embeds[0].Thumbnail; th != nil {
		t.Errorf("javascript: thumbnail sent: %+v", th)
	}
}

func TestMentionsNeverPing(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	hostile := loadAlerts(t)[2]
	sendOK(t, a, discordChat, []bot.Alert{hostile})
	if _, err := a.Notify(waitCtx(t), discordChat, "Source failing: @everyone <@123> <@&456> @here"); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{reply: func(context.Context, bot.Request) bot.Reply {
		return bot.Reply{Text: "Subscribed to @everyone <@!123>"}
	}}
	connect(t, a)
	serve(t, a, rec)
	p, _ := interaction(t, f, discordfake.Interaction{Command: "subscribe", GuildID: guildID, ChannelID: channelID, UserID: userID,
		Options: []discordfake.Option{{Name: "query", Value: "@everyone"}}})
	_ = p

	msgs := f.Messages(channelID)
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		if pings := m.Pings(); len(pings) > 0 {
			t.Errorf("message %s would ping %v", m.ID, pings)
		}
		if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 {
			t.Errorf("message %s allowed_mentions %+v, want parse []", m.ID, m.AllowedMentions)
		}
		// Even a client ignoring allowed_mentions sees no mention syntax.
		text := m.Content
		for _, e := range m.Embeds {
			text += e.Title + e.Description
			if e.Author != nil {
				text += e.Author.Name
			}
		}
		for _, bad := range []string{"@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "<#789>", "<:pepe:111>", "<t:1700000000:R>", "[click](https://evil"} {
			if strings.Contains(text, bad) {
				t.Errorf("message %s contains %q: %q", m.ID, bad, text)
			}
		}
	}
	e := msgs[0].Embeds[0]
	for _, want := range []string{`\*\*FREE\*\*`, `\[click\]`, `\|\|spoiler\|\|`} {
		if !strings.Contains(e.Title, want) {
			t.Errorf("title %q lacks %q", e.Title, want)
		}
	}
	for _, want := range []string{"\\# **Breaking**", "\n\\> quoted", "\n\\- list item", "\n1\\. numbered \\`code\\` \\~\\~strike\\~\\~ \\_\\_under\\_\\_ \\*it\\* \\\\ backslash"} {
		if !strings.Contains(e.Description, want) {
			t.Errorf("description lacks %q:\n%s", want, e.Description)
		}
	}
}

// hugeAlert is an alert with every string far over Discord's limits and
// full of characters that escaping doubles.
func hugeAlert(i int) bot.Alert {
	return bot.Alert{
		StoryID:        fmt.Sprintf("huge-%d", i),
		Title:          strings.Repeat("*Breaking* _news_ ", 900),
		Link:           "https://example.com/" + strings.Repeat("a", 3000),
		Source:         strings.Repeat("Source@Name ", 500),
		Published:      time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC),
		Summary:        strings.Repeat("grain `prices` ~rise~ | *sharply* ", 1200),
		Terms:          []string{"grain", "sharply"},
		ImageURL:       "https://example.com/i.jpg",
		AlsoReportedBy: strings.Split(strings.Repeat("Reuters*,", 400), ","),
	}
}

func TestLimitsNeverExceeded(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(o *discordfake.Options) { o.MessageLimit = -1 })
	a, _ := newAdapter(t, f, nil)
	var batch []bot.Alert
	for i := range 25 {
		batch = append(batch, hugeAlert(i))
	}
	// The fake refuses (400) anything over Discord's limits, so success
	// alone shows the limits held; check them here too.
	r := sendOK(t, a, discordChat, batch)
	msgs := f.Messages(channelID)
	if len(msgs) < 5 {
		t.Errorf("%d messages for 25 huge alerts", len(msgs))
	}
	seen := map[string]bool{}
	for i, id := range r.MessageIDs {
		if id == "" {
			t.Fatalf("alert %d has no message", i)
		}
		seen[id] = true
	}
	if len(seen) != len(msgs) {
		t.Errorf("receipt names %d messages, %d were sent", len(seen), len(msgs))
	}
	for _, m := range msgs {
		total := 0
		if len(m.Embeds) > 10 {
			t.Errorf("%d embeds in one message", len(m.Embeds))
		}
		for _, e := range m.Embeds {
			total += e.Chars()
			if n := utf8.RuneCountInString(e.Title); n > 256 || !strings.HasSuffix(e.Title, "…") {
				t.Errorf("title of %d runes: %q", n, e.Title[:40])
			}
			if n := utf8.RuneCountInString(e.Description); n > 4096 {
				t.Errorf("description of %d runes", n)
			}
			if n := utf8.RuneCountInString(e.Author.Name); n > 256 {
				t.Errorf("author of %d runes", n)
			}
			if e.URL != "" {
				t.Errorf("over-long URL sent: %d bytes", len(e.URL))
			}
			if strings.Count(e.Description, "**")%2 != 0 {
				t.Errorf("unbalanced bold in description")
			}
		}
		if total > 6000 {
			t.Errorf("message of %d characters", total)
		}
	}
	// An edit cannot split: it is fitted into one message.
	if _, err := a.Edit(waitCtx(t), discordChat, msgs[0].ID, batch[:10]); err != nil {
		t.Fatalf("Edit of 10 huge alerts: %v", err)
	}
}

func TestSendSplitsInOrder(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	var batch []bot.Alert
	for i := range 10 {
		batch = append(batch, bot.Alert{StoryID: fmt.Sprint(i), Title: fmt.Sprintf("Story %d %s", i, strings.Repeat("word ", 45)),
			Link: fmt.Sprintf("https://example.com/%d", i), Source: "Wire", Summary: strings.Repeat("A sentence about grain. ", 29)})
	}
	r := sendOK(t, a, discordChat, batch)
	msgs := f.Messages(channelID)
	if len(msgs) < 2 {
		t.Fatalf("%d messages, want a split", len(msgs))
	}
	n := 0
	for _, m := range msgs {
		for _, e := range m.Embeds {
			if !strings.HasPrefix(e.Title, fmt.Sprintf("Story %d ", n)) || r.MessageIDs[n] != m.ID {
				t.Errorf("embed %d in message %s is %q (receipt %s)", n, m.ID, e.Title[:8], r.MessageIDs[n])
			}
			n++
		}
	}
	if n != 10 {
		t.Errorf("%d embeds sent, want 10", n)
	}
}

func TestEditAddsAlsoReportedBy(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	alerts := loadAlerts(t)[:2]
	r := sendOK(t, a, discordChat, alerts)
	alerts[1].AlsoReportedBy = []string{"AP News", "Al Jazeera *English*"}
	if retry, err := a.Edit(waitCtx(t), discordChat, r.MessageIDs[1], alerts); err != nil {
		t.Fatalf("Edit: %v (retry %v)", err, retry)
	}
	m := f.Messages(channelID)[0]
	if m.Edits != 1 || len(m.Embeds) != 2 {
		t.Fatalf("message edits %d embeds %d", m.Edits, len(m.Embeds))
	}
	if want := "\n\nAlso reported by: AP News, Al Jazeera \\*English\\*"; !strings.HasSuffix(m.Embeds[1].Description, want) {
		t.Errorf("description %q, want suffix %q", m.Embeds[1].Description, want)
	}
	if m.AllowedMentions == nil || len(*m.AllowedMentions.Parse) != 0 {
		t.Errorf("edit allowed_mentions %+v", m.AllowedMentions)
	}
	retry, err := a.Edit(waitCtx(t), discordChat, "1999999999999999999", alerts)
	if err == nil || retry || errors.Is(err, bot.ErrChatGone) {
		t.Errorf("edit of an unknown message = %v, retry %v; want a final error, chat not gone", err, retry)
	}
}

func TestNotify(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	text := "Source 3 (BBC *World*) failed 5 times: HTTP 503\n" + strings.Repeat("detail line\n", 300)
	if retry, err := a.Notify(waitCtx(t), discordChat, text); err != nil {
		t.Fatalf("Notify: %v (retry %v)", err, retry)
	}
	msgs := f.Messages(channelID)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	if !strings.HasPrefix(msgs[0].Content, `Source 3 (BBC \*World\*) failed`) {
		t.Errorf("content %q", msgs[0].Content[:40])
	}
	for _, m := range msgs {
		if len(m.Embeds) != 0 || utf8.RuneCountInString(m.Content) > 2000 {
			t.Errorf("notice message %d chars, %d embeds", utf8.RuneCountInString(m.Content), len(m.Embeds))
		}
	}
}

func TestSendRejectsForeignChats(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	for _, chat := range []bot.Chat{
		{Platform: "telegram", ID: channelID},
		{Platform: "discord", ID: "../../users/@me"},
		{Platform: "discord", ID: ""},
	} {
		if _, retry, err := a.Send(waitCtx(t), chat, loadAlerts(t)[:1]); err == nil || retry {
			t.Errorf("Send to %q = %v, retry %v", chat, err, retry)
		}
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d requests for invalid chats", n)
	}
}

func TestSendWebhook(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, logs := newAdapter(t, f, nil)
	hook := f.CreateWebhook(channelID)
	r, retry, err := a.SendWebhook(waitCtx(t), secret.New(hook), loadAlerts(t)[:3])
	if err != nil {
		t.Fatalf("SendWebhook: %v (retry %v)", err, retry)
	}
	msgs := f.Messages(channelID)
	if len(msgs) != 1 || msgs[0].WebhookID == "" || len(msgs[0].Embeds) != 3 || r.MessageIDs[2] != msgs[0].ID {
		t.Fatalf("webhook messages %+v, receipt %v", msgs, r)
	}
	if pings := msgs[0].Pings(); len(pings) > 0 || msgs[0].AllowedMentions == nil {
		t.Errorf("webhook message pings %v / allowed_mentions %+v", pings, msgs[0].AllowedMentions)
	}
	token := hook[strings.LastIndex(hook, "/")+1:]
	for _, bad := range []string{
		strings.Replace(hook, "/webhooks/", "/webhooks/1", 1), // unknown webhook
		hook + "x", // wrong token
	} {
		_, retry, err := a.SendWebhook(waitCtx(t), secret.New(bad), loadAlerts(t)[:1])
		if !errors.Is(err, bot.ErrChatGone) || retry {
			t.Errorf("SendWebhook to a dead webhook = %v, retry %v; want ErrChatGone", err, retry)
		}
		if strings.Contains(err.Error(), token) {
			t.Errorf("error shows the webhook token: %v", err)
		}
	}
	for _, bad := range []string{"https://evil.example/api/webhooks/1/" + token, "not a url " + token, "https://discord.com/api/channels/1/" + token} {
		if _, _, err := a.SendWebhook(waitCtx(t), secret.New(bad), loadAlerts(t)[:1]); err == nil || strings.Contains(err.Error(), token) {
			t.Errorf("SendWebhook(%q) = %v; want an error without the token", bad, err)
		}
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("logs show the webhook token")
	}
	if n := len(f.Calls()); n != 3 {
		t.Errorf("%d requests, want 3 (malformed URLs must not be called)", n)
	}
	_ = http.StatusOK
}
