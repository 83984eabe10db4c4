package console

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
)

type echoHandler struct {
	mu   sync.Mutex
	reqs []bot.Request
}

func (h *echoHandler) Handle(ctx context.Context, r bot.Request) bot.Reply {
	h.mu.Lock()
	h.reqs = append(h.reqs, r)
	h.mu.Unlock()
	if r.Command == "exportopml" {
		return bot.Reply{Text: "file follows", File: &bot.Attachment{Name: "x.opml", Data: []byte("<opml/>\n")}}
	}
	return bot.Reply{Text: "ok " + r.Command + " [" + r.Args + "]"}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeTurnsLinesIntoRequests(t *testing.T) {
	in := strings.NewReader("/subscribe  \"north korea\" russia\nhello\n\n/LIST\n/exportopml\n")
	out := &syncBuffer{}
	a := New(Options{In: in, Out: out})
	h := &echoHandler{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, h) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "end of x.opml") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{`ok subscribe ["north korea" russia]`, "Commands start with /", "ok list []", "--- x.opml (8 bytes) ---\n<opml/>\n--- end of x.opml ---"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if len(h.reqs) != 3 || h.reqs[0].User.Key() != "console:admin" || h.reqs[0].Chat != Chat() || h.reqs[0].ChatKind != bot.Private {
		t.Errorf("requests = %+v", h.reqs)
	}
}

func TestServeReturnsOnCancelWhileReading(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	a := New(Options{In: r, Out: io.Discard})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, &echoHandler{}) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancellation")
	}
}

func TestAlertsAreSafePlainText(t *testing.T) {
	out := &syncBuffer{}
	a := New(Options{Out: out, Location: time.UTC, Now: func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }})
	r, retry, err := a.Send(context.Background(), Chat(), []bot.Alert{{
		Title:     "Evil \x1b[2J\x1b]0;pwned\x07 title\u202e",
		Source:    "Wire",
		Published: time.Date(2024, 5, 9, 8, 12, 0, 0, time.UTC),
		Summary:   "Kim Jong Un backed Russia.",
		Terms:     []string{"russia"},
		Link:      "https://wire.example/1",
	}})
	if err != nil || retry || len(r.MessageIDs) != 1 {
		t.Fatalf("send: %v %v %+v", err, retry, r)
	}
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("control characters reached the terminal: %q", got)
	}
	for _, want := range []string{"=== ALERT: Evil [2J]0;pwned title", "Wire · Thu 9 May 08:12 UTC", "Kim Jong Un backed *Russia*.", "https://wire.example/1"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// slowHandler reports progress for /addsource and waits until released.
type slowHandler struct{ release chan struct{} }

func (h *slowHandler) Handle(ctx context.Context, r bot.Request) bot.Reply {
	if r.Command == "addsource" {
		r.Progress("Checking " + r.Args + " (up to 30 s)")
		select {
		case <-h.release:
		case <-ctx.Done():
		}
		return bot.Reply{Text: "Added source 1"}
	}
	return bot.Reply{Text: "ok " + r.Command}
}

// A slow command prints its acknowledgement at once and its answer when
// ready; the next command's answer follows it, in order.
func TestSlowCommandAcknowledgedThenAnswered(t *testing.T) {
	inR, inW := io.Pipe()
	out := &syncBuffer{}
	a := New(Options{In: inR, Out: out})
	h := &slowHandler{release: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, h) }()
	defer func() {
		cancel()
		inW.Close()
		<-done
	}()
	waitOut := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("output never had %q:\n%s", want, out.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	io.WriteString(inW, "/addsource https://x.example/feed\n/list\n")
	waitOut("Checking https://x.example/feed (up to 30 s)")
	if strings.Contains(out.String(), "ok list") {
		t.Fatalf("/list answered before the slow command:\n%s", out.String())
	}
	close(h.release)
	waitOut("ok list")
	got := out.String()
	if i, j, k := strings.Index(got, "Checking"), strings.Index(got, "Added source 1"), strings.Index(got, "ok list"); !(i < j && j < k) {
		t.Errorf("want acknowledgement, answer, next answer in that order:\n%s", got)
	}
}

func TestAlertTimesFollowTheChatTimeZone(t *testing.T) {
	out := &syncBuffer{}
	a := New(Options{Out: out, Location: time.UTC, Now: func() time.Time { return time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC) }})
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	a.Send(context.Background(), Chat(), []bot.Alert{
		{Title: "In Tokyo", Source: "Wire", Published: time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC), Location: tokyo},
		{Title: "Old", Source: "Wire", Published: time.Date(2024, 3, 10, 16, 15, 0, 0, time.UTC)},
	})
	for _, want := range []string{"Wire · Sat 9 May 23:05 JST", "Wire · Sun 10 Mar 2024 16:15 UTC"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
