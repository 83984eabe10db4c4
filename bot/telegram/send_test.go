package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
)

var may9 = time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC)

func grainAlert() bot.Alert {
	return bot.Alert{
		StoryID:   "bbc-66241234",
		Title:     "Grain deal collapses as Russia & Ukraine trade strikes",
		Link:      "https://www.bbc.co.uk/news/world-europe-66241234?at_medium=RSS&at_campaign=rss",
		Source:    "BBC World",
		Published: may9,
		Summary:   `Russia pulled out of the Black Sea grain deal, saying its demands were not met. Kyiv called it "blackmail".`,
		Terms:     []string{"grain", "black sea"},
	}
}

const grainHTML = `<b><a href="https://www.bbc.co.uk/news/world-europe-66241234?at_medium=RSS&amp;at_campaign=rss">Grain deal collapses as Russia &amp; Ukraine trade strikes</a></b>
BBC World · 14:05 UTC, 9 May
Russia pulled out of the <b>Black Sea</b> <b>grain</b> deal, saying its demands were not met. Kyiv called it &quot;blackmail&quot;.
https://www.bbc.co.uk/news/world-europe-66241234?at_medium=RSS&amp;at_campaign=rss`

const grainText = `Grain deal collapses as Russia & Ukraine trade strikes
BBC World · 14:05 UTC, 9 May
Russia pulled out of the Black Sea grain deal, saying its demands were not met. Kyiv called it "blackmail".
https://www.bbc.co.uk/news/world-europe-66241234?at_medium=RSS&at_campaign=rss`

func alertEnv(t testing.TB, fo telegramfake.Options) (*env, *Adapter) {
	e := newEnv(t, fo)
	a := e.adapter(func(o *Options) { o.Now = flowingClock(may9.Add(20 * time.Hour)) })
	return e, a
}

func TestSendAlertExactHTML(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{})
	group := telegramfake.Chat{ID: -4001, Type: telegramfake.Group, Title: "Newsroom"}
	channel := telegramfake.Chat{ID: -1009001, Type: telegramfake.Channel, Title: "World Desk"}
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: "Ann"})
	e.fake.AddChat(group)
	e.fake.AddChat(channel)
	e.fake.SetChatMember(channel.ID, e.fake.BotID, telegramfake.Administrator)
	e.fake.AddTopic(-1005001, 77)
	tests := []struct {
		name   string
		chat   bot.Chat
		chatID int64
		thread int
	}{
		{"private", tgChat(ann.ID, ""), ann.ID, 0},
		{"group", tgChat(group.ID, ""), group.ID, 0},
		{"forum topic", tgChat(-1005001, "77"), -1005001, 77},
		{"channel", tgChat(channel.ID, ""), channel.ID, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			receipt, retry, err := a.Send(context.Background(), tt.chat, []bot.Alert{grainAlert()})
			if err != nil || retry {
				t.Fatalf("Send = %v, %v", retry, err)
			}
			s := e.fake.Sent()[i]
			if !reflect.DeepEqual(receipt.MessageIDs, []string{strconv.Itoa(s.MessageID)}) {
				t.Errorf("receipt = %v, want [%d]", receipt.MessageIDs, s.MessageID)
			}
			if s.ChatID != tt.chatID || s.MessageThreadID != tt.thread || s.ParseMode != "HTML" {
				t.Errorf("sent to %d/%d in %q, want %d/%d in HTML", s.ChatID, s.MessageThreadID, s.ParseMode, tt.chatID, tt.thread)
			}
			if s.Text != grainHTML {
				t.Errorf("HTML =\n%s\nwant\n%s", s.Text, grainHTML)
			}
			if s.PlainText != grainText {
				t.Errorf("text after parsing =\n%s\nwant\n%s", s.PlainText, grainText)
			}
			if s.LinkPreview == nil || s.LinkPreview.URL != grainAlert().Link || s.LinkPreview.IsDisabled {
				t.Errorf("link preview = %+v, want the story link", s.LinkPreview)
			}
			title := telegramfake.UTF16Len("Grain deal collapses as Russia & Ukraine trade strikes")
			sumStart := strings.Index(grainText, "Russia pulled")
			wantEnts := []telegramfake.Entity{
				{Type: "bold", Offset: 0, Length: title},
				{Type: "text_link", Offset: 0, Length: title, URL: grainAlert().Link},
				{Type: "bold", Offset: telegramfake.UTF16Len(grainText[:sumStart+len("Russia pulled out of the ")]), Length: 9},
				{Type: "bold", Offset: telegramfake.UTF16Len(grainText[:sumStart+len("Russia pulled out of the Black Sea ")]), Length: 5},
			}
			if !reflect.DeepEqual(s.Entities, wantEnts) {
				t.Errorf("entities = %+v, want %+v", s.Entities, wantEnts)
			}
		})
	}
}

func TestSendBatchSharesAndSplitsMessages(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{NoRateLimits: true})
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: "Ann"})
	chat := tgChat(ann.ID, "")

	second := bot.Alert{Title: "Second story", Link: "javascript:alert(1)", Source: "Reuters", Summary: "No link here."}
	third := bot.Alert{Title: "Third", Link: "https://apnews.com/x", Source: "AP", Published: may9.Add(-400 * 24 * time.Hour)}
	receipt, _, err := a.Send(context.Background(), chat, []bot.Alert{second, grainAlert(), third})
	if err != nil {
		t.Fatal(err)
	}
	if len(receipt.MessageIDs) != 3 || receipt.MessageIDs[0] != receipt.MessageIDs[1] || receipt.MessageIDs[1] != receipt.MessageIDs[2] {
		t.Errorf("receipt = %v, want one message for three short alerts", receipt.MessageIDs)
	}
	s := e.fake.Sent()[0]
	want := "<b>Second story</b>\nReuters\nNo link here.\n\n" + grainHTML +
		"\n\n" + `<b><a href="https://apnews.com/x">Third</a></b>` + "\nAP · 14:05 UTC, 4 Apr 2025\nhttps://apnews.com/x"
	if s.Text != want {
		t.Errorf("batch HTML =\n%s\nwant\n%s", s.Text, want)
	}
	if s.LinkPreview == nil || s.LinkPreview.URL != grainAlert().Link {
		t.Errorf("preview = %+v, want the first alert with a link", s.LinkPreview)
	}

	// Five alerts with long summaries do not fit one message.
	var batch []bot.Alert
	for i := range 5 {
		al := grainAlert()
		al.Title = fmt.Sprintf("Story %d", i)
		al.Link = fmt.Sprintf("https://example.com/%d", i)
		al.Summary = strings.Repeat("Long summary words ", 90) // 1,710 characters
		batch = append(batch, al)
	}
	before := len(e.fake.Sent())
	receipt, _, err = a.Send(context.Background(), chat, batch)
	if err != nil {
		t.Fatal(err)
	}
	sent := e.fake.Sent()[before:]
	if len(sent) != 3 {
		t.Fatalf("5 long alerts went out in %d messages, want 3 (2+2+1)", len(sent))
	}
	wantIDs := []string{strconv.Itoa(sent[0].MessageID), strconv.Itoa(sent[0].MessageID), strconv.Itoa(sent[1].MessageID), strconv.Itoa(sent[1].MessageID), strconv.Itoa(sent[2].MessageID)}
	if !reflect.DeepEqual(receipt.MessageIDs, wantIDs) {
		t.Errorf("receipt = %v, want %v", receipt.MessageIDs, wantIDs)
	}
	for i, s := range sent {
		if !strings.HasPrefix(s.PlainText, fmt.Sprintf("Story %d", 2*i)) || s.LinkPreview.URL != fmt.Sprintf("https://example.com/%d", 2*i) {
			t.Errorf("message %d starts %q, preview %+v", i, s.PlainText[:20], s.LinkPreview)
		}
	}
}

func TestEditAddsAlsoReportedBy(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{NoRateLimits: true})
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: "Ann"})
	chat := tgChat(ann.ID, "")
	receipt, _, err := a.Send(context.Background(), chat, []bot.Alert{grainAlert()})
	if err != nil {
		t.Fatal(err)
	}
	al := grainAlert()
	al.AlsoReportedBy = []string{"Reuters", "AP <News>"}
	if retry, err := a.Edit(context.Background(), chat, receipt.MessageIDs[0], []bot.Alert{al}); err != nil || retry {
		t.Fatalf("Edit = %v, %v", retry, err)
	}
	s := e.fake.Sent()[1]
	link := "https://www.bbc.co.uk/news/world-europe-66241234?at_medium=RSS&amp;at_campaign=rss"
	want := strings.TrimSuffix(grainHTML, link) + "Also reported by: Reuters, AP &lt;News&gt;\n" + link
	if s.Method != "editMessageText" || strconv.Itoa(s.MessageID) != receipt.MessageIDs[0] || s.Text != want {
		t.Errorf("edit = %s %d\n%s\nwant\n%s", s.Method, s.MessageID, s.Text, want)
	}
	// The same edit again changes nothing: Telegram says "not modified", we say fine.
	if retry, err := a.Edit(context.Background(), chat, receipt.MessageIDs[0], []bot.Alert{al}); err != nil || retry {
		t.Errorf("repeated Edit = %v, %v, want success", retry, err)
	}
	retry, err := a.Edit(context.Background(), chat, "999", []bot.Alert{al})
	if err == nil || retry || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("Edit of a missing message = %v, %v", retry, err)
	}
	// An edit of five long alerts still fits one message.
	var batch []bot.Alert
	for range 5 {
		b := grainAlert()
		b.Summary = strings.Repeat("Lengthy summary text ", 100)
		b.AlsoReportedBy = []string{"Reuters"}
		batch = append(batch, b)
	}
	if _, err := a.Edit(context.Background(), chat, receipt.MessageIDs[0], batch); err != nil {
		t.Errorf("Edit of 5 long alerts: %v", err)
	}
	if s := e.fake.Sent(); telegramfake.UTF16Len(s[len(s)-1].PlainText) > maxMessageUnits {
		t.Errorf("edit too long")
	}
}

func TestNotifySplitsLongText(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{})
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: "Ann"})
	text := "Source BBC World is failing: <timeout> & more\n" + strings.Repeat("detail line\n", 500)
	if retry, err := a.Notify(context.Background(), tgChat(ann.ID, ""), text); err != nil || retry {
		t.Fatalf("Notify = %v, %v", retry, err)
	}
	sent := e.fake.Sent()
	if len(sent) != 2 || sent[0].ParseMode != "" || !strings.HasPrefix(sent[0].Text, "Source BBC World is failing: <timeout> & more\n") {
		t.Errorf("Notify sent %d messages: %+v", len(sent), sent)
	}
}

func TestInjectionIsEscapedAndFits(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{NoRateLimits: true})
	huge := strings.Repeat("word ", 4000) // 20,000 characters
	tests := []struct {
		name string
		al   bot.Alert
		show string // must appear literally in the delivered text
	}{
		{"script", bot.Alert{Title: "<script>alert('x')</script>", Summary: "<img src=x onerror=alert(1)>", Link: "https://e.com/a"}, "<script>alert('x')</script>"},
		{"ampersands", bot.Alert{Title: "a & b < c > d", Summary: "&amp;amp; &lt;b&gt; &#x3C; &bogus;", Link: "https://e.com/?a=1&b=2"}, "&amp;amp; &lt;b&gt; &#x3C; &bogus;"},
		{"unclosed tags", bot.Alert{Title: "<b>bold", Summary: "<i>italic <a href=\"x\">link", Terms: []string{"italic"}}, "<b>bold"},
		{"quotes in link", bot.Alert{Title: "q", Link: `https://e.com/"><b>x</b>`}, "q"},
		{"javascript link", bot.Alert{Title: "js", Link: "javascript:alert(document.cookie)"}, "js"},
		{"20,000 characters", bot.Alert{Title: huge, Summary: huge, Source: huge, AlsoReportedBy: []string{huge}, Link: "https://e.com/long"}, "word word"},
		{"emoji", bot.Alert{Title: strings.Repeat("😀", 3000), Summary: strings.Repeat("👩‍💻👍🏽🇺🇦", 2000), Terms: []string{"x"}}, "😀😀"},
		{"right to left", bot.Alert{Title: "انهيار صفقة الحبوب", Summary: strings.Repeat("רוסיה יצאה מעסקת התבואה. ", 400), Source: "الجزيرة", Terms: []string{"התבואה"}}, "انهيار صفقة الحبوب"},
		{"controls and bad utf-8", bot.Alert{Title: "nul\x00 \xff\xfe bell\a", Summary: "\u202Eevil"}, "nul \uFFFD bell"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chat := int64(5000 + i) // one chat each: the adapter paces a private chat to 1 message a second
			e.fake.AddChat(telegramfake.Chat{ID: chat, Type: telegramfake.Private, FirstName: "U"})
			before := len(e.fake.Sent())
			batch := []bot.Alert{tt.al, tt.al}
			receipt, retry, err := a.Send(context.Background(), tgChat(chat, ""), batch)
			if err != nil || retry {
				t.Fatalf("Send = %v, %v", retry, err)
			}
			if len(receipt.MessageIDs) != 2 || receipt.MessageIDs[0] == "" || receipt.MessageIDs[1] == "" {
				t.Errorf("receipt = %v", receipt.MessageIDs)
			}
			for _, s := range e.fake.Sent()[before:] {
				if s.ParseMode != "HTML" {
					t.Errorf("fell back to plain text: the HTML was invalid")
				}
				if n := telegramfake.UTF16Len(s.PlainText); n > maxMessageUnits {
					t.Errorf("text of %d UTF-16 units", n)
				}
				if !strings.Contains(s.PlainText, tt.show) {
					t.Errorf("text does not show %q literally: %q", tt.show, s.PlainText[:min(200, len(s.PlainText))])
				}
				for _, ent := range s.Entities {
					if ent.Type != "bold" && ent.Type != "text_link" {
						t.Errorf("feed text made a %s entity", ent.Type)
					}
					if ent.Type == "text_link" && !strings.HasPrefix(ent.URL, "https://e.com/") {
						t.Errorf("link to %q", ent.URL)
					}
				}
			}
			if calls := e.fake.Calls("sendMessage"); calls[len(calls)-1].Status != http.StatusOK {
				t.Errorf("fake refused: %s", calls[len(calls)-1].Description)
			}
		})
	}
}

func TestSendErrorMapping(t *testing.T) {
	e := newEnv(t, telegramfake.Options{NoRateLimits: true})
	for id := int64(1); id <= 30; id++ {
		e.fake.AddChat(telegramfake.Chat{ID: id, Type: telegramfake.Private, FirstName: "U"})
	}
	e.fake.AddChat(telegramfake.Chat{ID: -77, Type: telegramfake.Group, Title: "G"})
	e.fake.SetChatMember(-77, e.fake.BotID, telegramfake.Restricted)
	type want struct {
		retry, gone, unknown bool
		after                time.Duration // > 0: a *bot.RetryAfterError
		global               bool
	}
	tests := []struct {
		name    string
		fails   []telegramfake.Failure
		chat    int64
		timeout time.Duration
		want    want
	}{
		{name: "429 chat", fails: []telegramfake.Failure{{Code: 429, RetryAfter: 3}}, chat: 1, want: want{retry: true, after: 3 * time.Second}},
		{name: "500", fails: []telegramfake.Failure{{Code: 500}}, chat: 2, want: want{retry: true}},
		{name: "502", fails: []telegramfake.Failure{{Code: 502}}, chat: 2, want: want{retry: true}},
		{name: "timeout after write", fails: []telegramfake.Failure{{Hang: true}}, chat: 3, timeout: 300 * time.Millisecond, want: want{retry: true, unknown: true}},
		{name: "connection cut after write", fails: []telegramfake.Failure{{Cut: true}}, chat: 3, want: want{retry: true, unknown: true}},
		{name: "403 blocked", fails: []telegramfake.Failure{{Code: 403, Description: "Forbidden: bot was blocked by the user"}}, chat: 4, want: want{gone: true}},
		{name: "403 kicked", fails: []telegramfake.Failure{{Code: 403, Description: "Forbidden: bot was kicked from the supergroup chat"}}, chat: 4, want: want{gone: true}},
		{name: "400 chat not found (real)", chat: 999, want: want{gone: true}},
		{name: "400 not enough rights (real)", chat: -77, want: want{gone: true}},
		{name: "400 have no rights", fails: []telegramfake.Failure{{Code: 400, Description: "Bad Request: have no rights to send a message"}}, chat: 5, want: want{gone: true}},
		{name: "400 other", fails: []telegramfake.Failure{{Code: 400, Description: "Bad Request: wrong parameter action in request"}}, chat: 5, want: want{}},
		{name: "401 token revoked", fails: []telegramfake.Failure{{Code: 401, Description: "Unauthorized"}}, chat: 6, want: want{retry: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.unconnected(func(o *Options) { o.RequestTimeout = tt.timeout })
			for _, f := range tt.fails {
				e.fake.Fail("sendMessage", 1, f)
			}
			receipt, retry, err := a.Send(context.Background(), tgChat(tt.chat, ""), []bot.Alert{grainAlert()})
			if err == nil {
				t.Fatalf("Send succeeded: %v", receipt)
			}
			var ra *bot.RetryAfterError
			got := want{retry: retry, gone: errors.Is(err, bot.ErrChatGone), unknown: errors.Is(err, bot.ErrOutcomeUnknown)}
			if errors.As(err, &ra) {
				got.after, got.global = ra.After, ra.Global
			}
			if got != tt.want {
				t.Errorf("Send error %q mapped to %+v, want %+v", err, got, tt.want)
			}
			if len(receipt.MessageIDs) != 0 {
				t.Errorf("failed Send returned receipt %v", receipt.MessageIDs)
			}
		})
	}
}

func TestRetryAfterHoldsChatAndBot(t *testing.T) {
	e := newEnv(t, telegramfake.Options{NoRateLimits: true})
	for id := int64(1); id <= 6; id++ {
		e.fake.AddChat(telegramfake.Chat{ID: id, Type: telegramfake.Private, FirstName: "U"})
	}
	send := func(a *Adapter, chat int64, d time.Duration) (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		_, retry, err := a.Send(ctx, tgChat(chat, ""), []bot.Alert{grainAlert()})
		return retry, err
	}
	t.Run("chat", func(t *testing.T) {
		a := e.unconnected(nil)
		e.fake.Fail("sendMessage", 1, telegramfake.Failure{Code: 429, RetryAfter: 30})
		var ra *bot.RetryAfterError
		if _, err := send(a, 1, 5*time.Second); !errors.As(err, &ra) || ra.Global || ra.After != 30*time.Second {
			t.Fatalf("first send: %v, want a chat RetryAfterError of 30s", err)
		}
		calls := len(e.fake.Calls("sendMessage"))
		// The chat is held: a send to it waits (here until its context
		// ends) without calling Telegram; another chat goes through.
		if retry, err := send(a, 1, 150*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) || !retry {
			t.Errorf("send to the held chat = %v, %v, want a context deadline and retry", retry, err)
		}
		if n := len(e.fake.Calls("sendMessage")); n != calls {
			t.Errorf("the held chat was sent to")
		}
		if _, err := send(a, 2, 5*time.Second); err != nil {
			t.Errorf("another chat is held too: %v", err)
		}
	})
	t.Run("global", func(t *testing.T) {
		a := e.unconnected(nil)
		// Two chats refused one after the other: the bot-wide limit.
		e.fake.Fail("sendMessage", 2, telegramfake.Failure{Code: 429, RetryAfter: 30})
		var ra *bot.RetryAfterError
		if _, err := send(a, 3, 5*time.Second); !errors.As(err, &ra) || ra.Global {
			t.Fatalf("first 429 = %v, want a chat RetryAfterError", err)
		}
		if _, err := send(a, 4, 5*time.Second); !errors.As(err, &ra) || !ra.Global || ra.After != 30*time.Second {
			t.Fatalf("second 429 = %v, want a global RetryAfterError of 30s", err)
		}
		calls := len(e.fake.Calls("sendMessage"))
		if _, err := send(a, 5, 150*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("send during a global hold = %v, want it to wait", err)
		}
		if n := len(e.fake.Calls("sendMessage")); n != calls {
			t.Errorf("sent during a global hold")
		}
	})
}

func TestCantParseEntitiesFallsBackToPlainTextOnce(t *testing.T) {
	e, a := alertEnv(t, telegramfake.Options{NoRateLimits: true})
	e.fake.AddChat(telegramfake.Chat{ID: ann.ID, Type: telegramfake.Private, FirstName: "Ann"})
	e.fake.Fail("sendMessage", 1, telegramfake.Failure{Code: 400, Description: `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 3`})
	receipt, retry, err := a.Send(context.Background(), tgChat(ann.ID, ""), []bot.Alert{grainAlert()})
	if err != nil || retry {
		t.Fatalf("Send = %v, %v, want success through the fallback", retry, err)
	}
	calls := e.fake.Calls("sendMessage")
	if len(calls) != 2 || calls[0].Status != 400 || calls[1].Status != 200 {
		t.Fatalf("sendMessage calls = %+v, want a refused HTML one and one plain", calls)
	}
	if _, hasMode := calls[1].Params["parse_mode"]; hasMode || calls[1].Params["text"] != grainText {
		t.Errorf("fallback = %+v, want the plain text without parse_mode", calls[1].Params)
	}
	if s := e.fake.Sent(); len(s) != 1 || receipt.MessageIDs[0] != strconv.Itoa(s[0].MessageID) {
		t.Errorf("receipt %v for %+v", receipt.MessageIDs, s)
	}
	if !strings.Contains(e.logs.String(), `"level":"ERROR","msg":"telegram could not parse rendered alert HTML`) {
		t.Errorf("the rendering bug was not logged at error level:\n%s", e.logs)
	}
	// When the plain text fails too, it is not retried again.
	e.fake.Fail("sendMessage", 2, telegramfake.Failure{Code: 400, Description: "Bad Request: can't parse entities: x"})
	if _, retry, err := a.Send(context.Background(), tgChat(ann.ID, ""), []bot.Alert{grainAlert()}); err == nil || retry {
		t.Errorf("double parse failure = %v, %v", retry, err)
	}
	if n := len(e.fake.Calls("sendMessage")); n != 4 {
		t.Errorf("sendMessage calls = %d, want 4", n)
	}
}
