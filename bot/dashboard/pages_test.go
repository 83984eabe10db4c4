package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/sources"
)

func TestSubscribingOnThePageShowsInTheChatAndBack(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(privateGrant)
	if resp := b.post(base+"/subscribe", url.Values{"q": {`"grain deal" OR wheat`}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("subscribe = %d", resp.StatusCode)
	}
	_, body := b.get(base + "/")
	if !strings.Contains(body, "Subscribed (#1)") {
		t.Fatalf("no answer shown: %s", body)
	}
	if list := e.handle(t, privateGrant, "list", ""); !strings.Contains(list, `1. "grain deal" OR wheat`) {
		t.Fatalf("/list = %q", list)
	}
	// And the other way: a chat command shows at the next load.
	e.handle(t, privateGrant, "subscribe", "ukraine")
	if _, body := b.get(base + "/"); !strings.Contains(body, `value="ukraine"`) {
		t.Fatalf("chat's subscription not on the page")
	}
}

func TestEditDigestRemoveAndSettingsGoThroughCommands(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(privateGrant)
	e.handle(t, privateGrant, "subscribe", "ukraine")
	e.handle(t, privateGrant, "subscribe", "wheat")
	ctx := context.Background()
	subs, _ := e.subs.List(ctx, privateGrant.Chat)

	b.post(base+"/edit", url.Values{"id": {itoa(subs[0].ID)}, "q": {"ukraine grain"}})
	b.post(base+"/digest", url.Values{"id": {itoa(subs[1].ID)}, "digest": {"daily 08:00"}})
	b.post(base+"/settings", url.Values{"timezone": {"Europe/Berlin"}, "quiet": {"22:00-07:00"}})
	b.post(base+"/pause", url.Values{"paused": {"yes"}})
	subs, _ = e.subs.List(ctx, privateGrant.Chat)
	if len(subs) != 2 || subs[0].Query != "wheat" || subs[0].Digest != "daily 08:00" || subs[1].Query != "ukraine grain" {
		t.Fatalf("subs %+v", subs)
	}
	cs, _ := e.chats.Get(ctx, privateGrant.Chat)
	if cs.Timezone != "Europe/Berlin" || cs.Quiet != "22:00-07:00" || !cs.Paused {
		t.Fatalf("settings %+v", cs)
	}
	// Validation is the command's: a bad zone is refused with its reason.
	b.post(base+"/settings", url.Values{"timezone": {"Mars/Olympus"}, "quiet": {"22:00-07:00"}})
	if _, body := b.get(base + "/"); !strings.Contains(body, "Mars/Olympus") {
		t.Fatalf("no refusal shown: %s", body)
	}
	b.post(base+"/unsubscribe", url.Values{"id": {itoa(subs[0].ID)}})
	if subs, _ = e.subs.List(ctx, privateGrant.Chat); len(subs) != 1 || subs[0].Query != "ukraine grain" {
		t.Fatalf("after remove %+v", subs)
	}
	// A stale form naming a removed subscription changes nothing.
	b.post(base+"/unsubscribe", url.Values{"id": {"999999"}})
	if subs, _ = e.subs.List(ctx, privateGrant.Chat); len(subs) != 1 {
		t.Fatalf("stale remove removed %+v", subs)
	}
}

func TestAGroupMemberSeesButCannotChange(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(memberGrant)
	_, body := b.get(base + "/")
	if !strings.Contains(body, "only the chat's administrators can change it") {
		t.Fatalf("no read-only notice")
	}
	b.post(base+"/subscribe", url.Values{"q": {"ukraine"}})
	if _, body := b.get(base + "/"); !strings.Contains(body, "Only this chat&#39;s administrators can change its subscriptions") {
		t.Fatalf("the command's refusal is not shown: %s", body)
	}
	if subs, _ := e.subs.List(context.Background(), memberGrant.Chat); len(subs) != 0 {
		t.Fatalf("member subscribed: %v", subs)
	}
}

func TestPreviewHighlightsMatchesAndPointsAtErrors(t *testing.T) {
	e := newEnv(t)
	e.saveStories(t, "Ukraine grain deal extended", "Rates held", "<script>alert(1)</script> Ukraine")
	b := e.browser(t)
	base := b.signIn(privateGrant)
	st, frag := b.get(base + "/preview?q=" + url.QueryEscape("ukraine grain"))
	if st != http.StatusOK || !strings.Contains(frag, "matches 1 of the last 3 stories") ||
		!strings.Contains(frag, "<mark>Ukraine</mark> <mark>grain</mark> deal extended") {
		t.Fatalf("preview %d: %s", st, frag)
	}
	_, frag = b.get(base + "/preview?q=ukraine")
	if strings.Contains(frag, "<script>") || !strings.Contains(frag, "&lt;script&gt;") {
		t.Fatalf("story text not escaped: %s", frag)
	}
	_, frag = b.get(base + "/preview?q=" + url.QueryEscape("ukraine (grain"))
	if !strings.Contains(frag, "Query error") || !strings.Contains(frag, `<mark class="bad">`) {
		t.Fatalf("syntax error: %s", frag)
	}
	// Without JavaScript, the Preview button renders the same on the page.
	if _, body := b.get(base + "/?q=ukraine+grain"); !strings.Contains(body, "<mark>Ukraine</mark>") {
		t.Fatalf("no-JS preview missing")
	}
}

func TestSyntaxPreviewMarksThePosition(t *testing.T) {
	for _, q := range []string{"ukraine (grain", `"open phrase`, "a OR", "-only"} {
		e := syntaxPreviewFor(q)
		if e.Error == "" {
			t.Errorf("%q: no error", q)
			continue
		}
		if e.ErrorAt && e.Before+e.At+e.After != q && e.Before+strings.TrimSpace(e.At)+e.After != q {
			t.Errorf("%q: split %q|%q|%q", q, e.Before, e.At, e.After)
		}
	}
}

func TestSourcesPageShowsAFailingSourceWithErrorAndChart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	src, err := e.registry.Add(ctx, sourceFixture("Broken Wire", "https://broken.example/rss"), "broken.example/rss", e.now)
	if err != nil {
		t.Fatal(err)
	}
	src.State, src.Failures, src.LastError = sources.Failing, 12, "the server answered 503 Service Unavailable"
	src.LastSuccess, src.LastFetch = e.now.Add(-26*time.Hour), e.now.Add(-time.Minute)
	if err := e.registry.Save(ctx, src, e.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.counts.Add(ctx, src.ID, 7, e.now.AddDate(0, 0, -3))
	e.counts.Add(ctx, src.ID, 2, e.now)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	st, body := b.get(base + "/sources")
	for _, want := range []string{"Broken Wire", "failing (12 failures in a row)", "the server answered 503 Service Unavailable",
		"<svg", "New stories per day over 14 days for Broken Wire: 9 in all, at most 7", "backing off"} {
		if st != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
	// Pause, resume and remove go through the commands.
	b.post(base+"/sources/state", url.Values{"id": {itoa(uint64(src.ID))}, "action": {"pause"}})
	if s, _ := e.registry.Get(ctx, src.ID); s.State != sources.Paused {
		t.Fatalf("state %s", s.State)
	}
	b.post(base+"/sources/state", url.Values{"id": {itoa(uint64(src.ID))}, "action": {"remove"}})
	if _, err := e.registry.Get(ctx, src.ID); err == nil {
		t.Fatal("not removed")
	}
}

func TestAddSourceProbesAndShowsItsStories(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	b.post(base+"/sources/add", url.Values{"url": {e.feedURL}, "interval": {"10m"}, "name": {"Wire"}})
	_, body := b.get(base + "/sources")
	if !strings.Contains(body, "Added source") || !strings.Contains(body, "Grain deal signed in Kyiv") {
		t.Fatalf("add answer: %s", body)
	}
	resp, err := b.c.Get(e.http.URL + base + "/sources/export.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := new(strings.Builder)
	_, _ = copyBody(buf, resp)
	if resp.StatusCode != 200 || !strings.Contains(buf.String(), "<opml") || !strings.Contains(buf.String(), "wire.rss") {
		t.Fatalf("export %d: %s", resp.StatusCode, buf)
	}
}

func TestSystemPageShowsOutboxAndSentChart(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		st := o.Data.(*Stores)
		st.Outbox = fakeOutbox{n: 3, age: 90 * time.Second}
		st.SentPerHour = func(ctx context.Context, now time.Time, hours int) ([]int64, error) {
			out := make([]int64, hours)
			out[hours-1] = 5
			return out, nil
		}
		st.Counters = func() (metrics.DeliveryCounts, error) {
			return metrics.DeliveryCounts{Dropped: map[string]float64{"chat_paused": 4}, RateLimited: map[string]float64{"telegram": 2},
				Failed: map[string]float64{"telegram": 3}, Duplicated: map[string]float64{"telegram": 0}}, nil
		}
		st.Replicas = func(context.Context) ([]outbox.Replica, error) {
			return []outbox.Replica{{Name: "bot-a", Idle: 2 * time.Second, Pending: 1}, {Name: "bot-b", Idle: time.Minute}}, nil
		}
	})
	b := e.browser(t)
	base := b.signIn(adminGrant)
	_, body := b.get(base + "/system")
	for _, want := range []string{`<dd id="outbox-depth">3</dd>`, "1m30s", "Alerts sent per hour over 48 hours: 5 in all",
		"<td>chat_paused</td><td>4</td>", "<td>telegram</td><td>2</td><td>3</td><td>0</td>", "<td>bot-a</td><td>2s ago</td><td>1</td>", "<td>bot-b</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("system page lacks %q", want)
		}
	}
}

type fakeOutbox struct {
	n   int64
	age time.Duration
}

func (f fakeOutbox) Len(context.Context) (int64, error) { return f.n, nil }
func (f fakeOutbox) OldestAge(context.Context, time.Time) (time.Duration, error) {
	return f.age, nil
}

func TestChatPageShowsAlertHistoryAndCounts(t *testing.T) {
	var hist *outbox.History
	e := newEnv(t, func(o *Options) {
		hist = outbox.NewHistory(o.Redis, o.KeyPrefix)
		o.Data.(*Stores).History = hist
	})
	ctx := context.Background()
	e.handle(t, privateGrant, "subscribe", "grain")
	subs, _ := e.subs.List(ctx, privateGrant.Chat)
	now := time.Now()
	hist.Record(ctx, privateGrant.Chat,
		outbox.Event{StoryID: "a", Title: "Grain deal signed", Source: "Wire", Link: "https://wire.example/a", At: now, SubIDs: []uint64{subs[0].ID}, Terms: []string{"grain"}, Outcome: outbox.OutcomeSent},
		outbox.Event{StoryID: "b", Title: "Grain deal, again", Source: "Post", At: now, SubIDs: []uint64{subs[0].ID}, Outcome: outbox.OutcomeFolded, FoldedInto: "a"},
		outbox.Event{StoryID: "c", Title: "Night grain", Source: "Wire", At: now, SubIDs: []uint64{subs[0].ID}, Outcome: outbox.OutcomeHeld, Until: now.Add(time.Hour)},
		outbox.Event{StoryID: "d", Title: "Old grain", Source: "Wire", At: now, SubIDs: []uint64{999}, Outcome: outbox.OutcomeDropped, Reason: "alerts were paused in this chat"},
		outbox.Event{StoryID: "e", Title: "javascript link", Source: "Wire", Link: "javascript:alert(1)", At: now, Outcome: outbox.OutcomeSent},
	)
	// Another chat's history is not shown.
	hist.Record(ctx, otherGrant.Chat, outbox.Event{StoryID: "z", Title: "Secret of chat 43", At: now, Outcome: outbox.OutcomeSent})
	b := e.browser(t)
	base := b.signIn(privateGrant)
	_, body := b.get(base + "/")
	for _, want := range []string{
		`<mark>Grain</mark> deal signed`, "sent", "folded into an earlier alert", "held for a digest until",
		"dropped: alerts were paused in this chat", "#1 grain", "a removed subscription", "(1 alert in the last 7 days)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("chat page lacks %q", want)
		}
	}
	if strings.Contains(body, "Secret of chat 43") || strings.Contains(body, `href="javascript:`) {
		t.Error("another chat's history or an unsafe link on the page")
	}
}

func TestOPMLImportByUploadGoesThroughTheCommand(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", "feeds.opml")
	fmt.Fprintf(fw, `<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" text="Wire" xmlUrl="%s"/></body></opml>`, e.feedURL)
	mw.Close()
	resp, err := b.c.Post(e.http.URL+base+"/sources/import", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d", resp.StatusCode)
	}
	srcs, _ := e.registry.List(context.Background())
	if len(srcs) != 1 || srcs[0].Name != "Wire" {
		t.Fatalf("sources after import: %+v", srcs)
	}
	// Too large an upload is cut off, not read whole.
	big := bytes.Repeat([]byte("x"), 3<<20)
	resp, err = b.c.Post(e.http.URL+base+"/sources/import", "multipart/form-data; boundary=zz", bytes.NewReader(append([]byte("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.opml\"\r\n\r\n"), big...)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusOK {
		t.Fatalf("3 MB upload accepted: %d", resp.StatusCode)
	}
}

// TestPauseOneSubscriptionGoesThroughCommands: a row's Pause button runs
// /pause N (the chat sees it in /list), Resume runs /resume N, a stale
// form changes nothing, and a member is refused by the command's rule.
func TestPauseOneSubscriptionGoesThroughCommands(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.browser(t)
	base := b.signIn(privateGrant)
	e.handle(t, privateGrant, "subscribe", "ukraine")
	e.handle(t, privateGrant, "subscribe", "wheat")
	subs, _ := e.subs.List(ctx, privateGrant.Chat)
	if _, body := b.get(base + "/"); !strings.Contains(body, `aria-label="Pause subscription #2: wheat"`) {
		t.Fatalf("no pause button for #2: %s", body)
	}
	steps := []struct {
		name       string
		form       url.Values
		wantShown  string // the command's answer on the next page
		wantPaused []bool // per subscription, in /list order
	}{
		{"pause #2", url.Values{"id": {itoa(subs[1].ID)}, "paused": {"yes"}}, "Paused #2: wheat — its alerts stop until /resume 2.", []bool{false, true}},
		{"pause #2 again", url.Values{"id": {itoa(subs[1].ID)}, "paused": {"yes"}}, "#2 is already paused.", []bool{false, true}},
		{"stale form", url.Values{"id": {"999999"}, "paused": {"yes"}}, "That subscription no longer exists", []bool{false, true}},
		{"resume #2", url.Values{"id": {itoa(subs[1].ID)}, "paused": {"no"}}, "Resumed #2: wheat", []bool{false, false}},
	}
	for _, st := range steps {
		if resp := b.post(base+"/pausesub", st.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d", st.name, resp.StatusCode)
		}
		_, body := b.get(base + "/")
		if !strings.Contains(body, html.EscapeString(st.wantShown)) {
			t.Errorf("%s: page does not show %q", st.name, st.wantShown)
		}
		got, _ := e.subs.List(ctx, privateGrant.Chat)
		for i, s := range got {
			if s.Paused != st.wantPaused[i] {
				t.Errorf("%s: #%d paused = %v, want %v", st.name, s.Num, s.Paused, st.wantPaused[i])
			}
		}
		if st.name == "pause #2" {
			if !strings.Contains(body, `aria-label="Resume subscription #2: wheat"`) || !strings.Contains(body, "(paused)") {
				t.Errorf("page does not show #2 paused with a Resume button")
			}
			if list := e.handle(t, privateGrant, "list", ""); !strings.Contains(list, "2. wheat — paused") {
				t.Errorf("/list = %q", list)
			}
		}
	}

	m := e.browser(t)
	mbase := m.signIn(memberGrant)
	sub, err := e.subs.Add(ctx, memberGrant.Chat, "grain", "test:1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m.post(mbase+"/pausesub", url.Values{"id": {itoa(sub.ID)}, "paused": {"yes"}})
	if _, body := m.get(mbase + "/"); !strings.Contains(body, "Only this chat&#39;s administrators") {
		t.Errorf("member's pause: the command's refusal is not shown")
	}
	if got, _ := e.subs.Get(ctx, sub.ID); got.Paused {
		t.Fatal("a member paused a subscription")
	}
}

// TestEditKeepsAPausedSubscriptionPaused: editing a paused subscription
// (numbers with a gap, #1 removed) replaces it with a paused one.
func TestEditKeepsAPausedSubscriptionPaused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := e.browser(t)
	base := b.signIn(privateGrant)
	e.handle(t, privateGrant, "subscribe", "ukraine")
	e.handle(t, privateGrant, "subscribe", "wheat")
	e.handle(t, privateGrant, "subscribe", "grain")
	e.handle(t, privateGrant, "unsubscribe", "1")
	e.handle(t, privateGrant, "pause", "3")
	subs, _ := e.subs.List(ctx, privateGrant.Chat)
	if resp := b.post(base+"/edit", url.Values{"id": {itoa(subs[1].ID)}, "q": {"grain exports"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit = %d", resp.StatusCode)
	}
	_, body := b.get(base + "/")
	if !strings.Contains(body, "Query changed to: grain exports") {
		t.Errorf("edit answer not shown: %s", body)
	}
	subs, _ = e.subs.List(ctx, privateGrant.Chat)
	var got []string
	for _, s := range subs {
		got = append(got, fmt.Sprintf("%d %s %v", s.Num, s.Display(), s.Paused))
	}
	if want := "1 grain exports true|2 wheat false"; strings.Join(got, "|") != want {
		t.Fatalf("after edit %q, want %q", strings.Join(got, "|"), want)
	}
}
