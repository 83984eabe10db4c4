package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/secret"
)

func TestRateLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fault     discordfake.Fault
		wantCalls int
		wantErr   bool // a *bot.RetryAfterError
		minWait   time.Duration
	}{
		{"429 with headers, twice", discordfake.Fault{Kind: discordfake.Fault429, Times: 2, RetryAfter: 150 * time.Millisecond}, 3, false, 300 * time.Millisecond},
		{"429 with retry_after in body only", discordfake.Fault{Kind: discordfake.Fault429BodyOnly, RetryAfter: 150 * time.Millisecond}, 2, false, 150 * time.Millisecond},
		{"429 without retry_after backs off", discordfake.Fault{Kind: discordfake.Fault429Bare, Times: 2}, 3, false, 40 * time.Millisecond},
		{"global 429", discordfake.Fault{Kind: discordfake.Fault429Global, RetryAfter: 150 * time.Millisecond}, 2, false, 150 * time.Millisecond},
		{"endless bare 429s give up", discordfake.Fault{Kind: discordfake.Fault429Bare, Times: 50}, 4, true, 0},
		{"long retry_after is handed to delivery", discordfake.Fault{Kind: discordfake.Fault429, RetryAfter: 90 * time.Second}, 1, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, nil)
			a, _ := newAdapter(t, f, nil)
			f.Inject(discordfake.RouteCreateMessage, tt.fault)
			start := time.Now()
			_, retry, err := a.Send(waitCtx(t), discordChat, loadAlerts(t)[:1])
			elapsed := time.Since(start)
			if calls := f.CallCount(discordfake.RouteCreateMessage, channelID); calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			var ra *bot.RetryAfterError
			if tt.wantErr {
				if !errors.As(err, &ra) || !retry {
					t.Fatalf("Send = %v, retry %v; want *bot.RetryAfterError, retry", err, retry)
				}
				if tt.fault.RetryAfter > time.Minute && ra.After < time.Minute {
					t.Errorf("RetryAfter %v, want about %v", ra.After, tt.fault.RetryAfter)
				}
				return
			}
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if elapsed < tt.minWait {
				t.Errorf("sent again after %v, want at least %v", elapsed, tt.minWait)
			}
			if len(f.Messages(channelID)) != 1 {
				t.Errorf("%d messages, want 1", len(f.Messages(channelID)))
			}
		})
	}
}

func TestBucketsFollowHeaders(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(o *discordfake.Options) { o.MessageLimit, o.MessageWindow = 3, 400*time.Millisecond })
	a, _ := newAdapter(t, f, nil)
	start := time.Now()
	for i := range 7 {
		sendOK(t, a, discordChat, []bot.Alert{{StoryID: fmt.Sprint(i), Title: fmt.Sprint("Story ", i)}})
	}
	if d := time.Since(start); d < 800*time.Millisecond {
		t.Errorf("7 messages at 3 per 400 ms took %v, want at least 800 ms", d)
	}
	if n := f.InvalidRequests(); n != 0 {
		t.Errorf("%d rate-limited requests; the headers should have prevented them", n)
	}
}

func TestChatGone(t *testing.T) {
	t.Parallel()
	for _, kind := range []discordfake.FaultKind{discordfake.FaultMissingAccess, discordfake.FaultMissingPermissions, discordfake.FaultUnknownChannel} {
		t.Run(fmt.Sprint(kind), func(t *testing.T) {
			f := newFake(t, nil)
			a, _ := newAdapter(t, f, nil)
			f.Inject(discordfake.RouteCreateMessage, discordfake.Fault{Kind: kind, Times: 2})
			_, retry, err := a.Send(waitCtx(t), discordChat, loadAlerts(t)[:1])
			if !errors.Is(err, bot.ErrChatGone) || retry {
				t.Errorf("Send = %v, retry %v; want ErrChatGone, no retry", err, retry)
			}
			retry, err = a.Notify(waitCtx(t), discordChat, "hello")
			if !errors.Is(err, bot.ErrChatGone) || retry {
				t.Errorf("Notify = %v, retry %v; want ErrChatGone, no retry", err, retry)
			}
			if n := f.CallCount(discordfake.RouteCreateMessage, channelID); n != 2 {
				t.Errorf("%d calls, want 2 (no retries)", n)
			}
		})
	}
}

func TestOutcomeUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind    discordfake.FaultKind
		timeout time.Duration
	}{
		{discordfake.Fault502, 5 * time.Second},
		{discordfake.Fault500, 5 * time.Second},
		{discordfake.FaultCut, 5 * time.Second},
		{discordfake.FaultHang, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.kind), func(t *testing.T) {
			f := newFake(t, nil)
			a, _ := newAdapter(t, f, nil)
			f.Inject(discordfake.RouteCreateMessage, discordfake.Fault{Kind: tt.kind})
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			_, retry, err := a.Send(ctx, discordChat, loadAlerts(t)[:1])
			if !errors.Is(err, bot.ErrOutcomeUnknown) || !retry {
				t.Errorf("Send = %v, retry %v; want ErrOutcomeUnknown, retry", err, retry)
			}
			// the fake records a hung call once the client has given up
			_ = f.WaitFor(waitCtx(t), func() bool { return f.CallCount(discordfake.RouteCreateMessage, channelID) > 0 })
			if n := f.CallCount(discordfake.RouteCreateMessage, channelID); n != 1 {
				t.Errorf("%d calls: a message post of unknown outcome was retried", n)
			}
		})
	}
}

func TestResendAfterUnknownOutcomeIsNotDuplicated(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	batch := loadAlerts(t)[:2]
	f.Inject(discordfake.RouteCreateMessage, discordfake.Fault{Kind: discordfake.Fault502AfterWork})
	if _, _, err := a.Send(waitCtx(t), discordChat, batch); !errors.Is(err, bot.ErrOutcomeUnknown) {
		t.Fatalf("Send = %v, want ErrOutcomeUnknown", err)
	}
	r := sendOK(t, a, discordChat, batch)
	msgs := f.Messages(channelID)
	if len(msgs) != 1 || r.MessageIDs[0] != msgs[0].ID {
		t.Errorf("%d messages after the resend (receipt %v); want the first one only", len(msgs), r.MessageIDs)
	}
}

func TestNotSentIsRetryable(t *testing.T) {
	t.Parallel()
	a, err := New(Options{Token: secret.New(testToken), APIURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	_, retry, err := a.Send(waitCtx(t), discordChat, loadAlerts(t)[:1])
	if err == nil || !retry || errors.Is(err, bot.ErrOutcomeUnknown) {
		t.Errorf("Send to a closed port = %v, retry %v; want a retryable, known-unsent error", err, retry)
	}
}

func TestInvalidRequestBreaker(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	clock := &now
	a, logs := newAdapter(t, f, func(o *Options) { o.Now = func() time.Time { return *clock } })
	for range invalidThreshold - 1 {
		a.rest.pacer.noteInvalid()
	}
	f.Inject(discordfake.RouteCreateMessage, discordfake.Fault{Kind: discordfake.FaultMissingAccess})
	if _, _, err := a.Send(waitCtx(t), discordChat, loadAlerts(t)[:1]); !errors.Is(err, bot.ErrChatGone) {
		t.Fatalf("Send = %v", err)
	}
	for range 3 {
		_, retry, err := a.Send(waitCtx(t), discordChat, loadAlerts(t)[:1])
		var ra *bot.RetryAfterError
		if !errors.As(err, &ra) || !retry || ra.After <= 0 || ra.After > invalidWindow {
			t.Fatalf("Send over the invalid-request budget = %v, retry %v", err, retry)
		}
	}
	if n := f.CallCount(discordfake.RouteCreateMessage, ""); n != 1 {
		t.Errorf("%d requests reached Discord, want 1", n)
	}
	if n := strings.Count(logs.String(), "too many invalid requests"); n != 1 {
		t.Errorf("breaker logged %d times, want once", n)
	}
	later := now.Add(invalidWindow + time.Second)
	clock = &later
	sendOK(t, a, discordChat, loadAlerts(t)[:1])
}
