package discord

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

// burst sends perChannel alerts to each of channels channels, one alert per
// Send call and all at once (as delivery workers do when alerts trickle
// in), through the fake's per-channel limit. It returns the wall time.
func burst(tb testing.TB, a *Adapter, f *discordfake.Server, base, channels, perChannel int) time.Duration {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	template := loadAlerts(tb)[0]
	var wg sync.WaitGroup
	errs := make(chan error, channels*perChannel)
	start := time.Now()
	for c := range channels {
		chat := bot.Chat{Platform: Platform, ID: strconv.Itoa(base + c)}
		for i := range perChannel {
			al := template
			al.StoryID = fmt.Sprintf("%s-%d-%d", template.StoryID, c, i)
			wg.Go(func() {
				if _, retry, err := a.Send(ctx, chat, []bot.Alert{al}); err != nil {
					errs <- fmt.Errorf("send to %s: %w (retry %v)", chat.ID, err, retry)
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		tb.Error(err)
	}
	for c := range channels {
		if n := len(f.Messages(strconv.Itoa(base + c))); n != perChannel {
			tb.Errorf("channel %d got %d alerts, want %d", base+c, n, perChannel)
		}
	}
	return elapsed
}

func TestBurst(t *testing.T) {
	f := newFake(t, nil) // Discord's limits: 5 messages per 5 s per channel, 50 requests/s
	a, _ := newAdapter(t, f, nil)
	const channels, perChannel = 10, 5
	elapsed := burst(t, a, f, 1600000000000000000, channels, perChannel)
	n := channels * perChannel
	t.Logf("burst: %d alerts to %d channels in %v: %.1f alerts/s, %d rate-limited answers",
		n, channels, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), f.InvalidRequests())
	if got := f.InvalidRequests(); got > 3 {
		t.Errorf("%d 429s, want a handful at most", got)
	}
	if calls := f.CallCount(discordfake.RouteCreateMessage, ""); calls > n+3 {
		t.Errorf("%d requests for %d alerts", calls, n)
	}
}

// BenchmarkBurst measures delivery throughput of a 50-alert burst to 10
// channels under Discord's limits (each iteration uses fresh channels).
func BenchmarkBurst(b *testing.B) {
	f := newFake(b, func(o *discordfake.Options) { o.Logf = nil })
	a, _ := newAdapter(b, f, nil)
	const channels, perChannel = 10, 5
	b.ResetTimer()
	var total time.Duration
	for i := range b.N {
		total += burst(b, a, f, 1700000000000000000+i*channels, channels, perChannel)
	}
	b.ReportMetric(float64(b.N*channels*perChannel)/total.Seconds(), "alerts/s")
	b.ReportMetric(float64(f.InvalidRequests())/float64(b.N), "429s/op")
}
