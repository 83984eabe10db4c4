package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
)

// burstResult is what one burst delivered.
type burstResult struct {
	messages int           // accepted by the fake
	refused  int           // 429 answers
	elapsed  time.Duration // first Send to last answer
}

func (r burstResult) rate() float64 { return float64(r.messages) / r.elapsed.Seconds() }

// runBurst sends stories alerts, one Send each, to privates private chats
// and groups groups, through a pool of workers calling Send concurrently as
// delivery does (story by story, as stories arrive; a RetryAfterError is
// waited out and retried). The fake enforces Telegram's limits.
func runBurst(tb testing.TB, privates, groups, stories int) burstResult {
	tb.Helper()
	e := newEnv(tb, telegramfake.Options{})
	var chats []bot.Chat
	for i := range privates {
		id := int64(200000 + i)
		e.fake.AddChat(telegramfake.Chat{ID: id, Type: telegramfake.Private, FirstName: fmt.Sprintf("Reader %d", i)})
		chats = append(chats, tgChat(id, ""))
	}
	for i := range groups {
		id := int64(-300000 - i)
		e.fake.AddChat(telegramfake.Chat{ID: id, Type: telegramfake.Supergroup, Title: fmt.Sprintf("Group %d", i)})
		chats = append(chats, tgChat(id, ""))
	}
	a := e.unconnected(nil)
	type job struct {
		chat  bot.Chat
		alert bot.Alert
	}
	jobs := make(chan job)
	var (
		wg       sync.WaitGroup
		failures atomic.Int64
	)
	const workers = 32
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				for {
					_, retry, err := a.Send(ctx, j.chat, []bot.Alert{j.alert})
					if err == nil {
						break
					}
					var ra *bot.RetryAfterError
					if errors.As(err, &ra) && sleep(ctx, ra.After) == nil {
						continue
					}
					if !retry || ctx.Err() != nil {
						failures.Add(1)
						tb.Errorf("Send to %s: %v", j.chat, err)
						break
					}
				}
			}
		}()
	}
	for s := range stories {
		al := grainAlert()
		al.StoryID = fmt.Sprintf("story-%d", s)
		al.Title = fmt.Sprintf("Story %d: %s", s, al.Title)
		for _, c := range chats {
			jobs <- job{chat: c, alert: al}
		}
	}
	close(jobs)
	wg.Wait()
	res := burstResult{elapsed: time.Since(start), messages: len(e.fake.Sent())}
	for _, c := range e.fake.Calls("sendMessage") {
		if c.Status == http.StatusTooManyRequests {
			res.refused++
		}
	}
	if want := len(chats) * stories; res.messages != want || failures.Load() > 0 {
		tb.Errorf("delivered %d messages, want %d (%d failures)", res.messages, want, failures.Load())
	}
	return res
}

// TestBurst delivers 4 stories to 120 private chats and 5 groups (500
// messages) under Telegram's limits: every alert arrives with at most a
// handful of 429s, at close to 30 messages a second.
func TestBurst(t *testing.T) {
	privates := 120
	if testing.Short() {
		privates = 25
	}
	r := runBurst(t, privates, 5, 4)
	t.Logf("burst: %d messages in %v = %.1f messages/s, %d answered 429", r.messages, r.elapsed.Round(time.Millisecond), r.rate(), r.refused)
	// The adapter paces below every limit, so a 429 takes a stall of over a
	// second between adapter and fake (a loaded machine): the requests
	// queued meanwhile arrive together. Each stall costs the few requests
	// in flight, then the bot-wide hold stops the rest.
	if r.refused > 10 {
		t.Errorf("%d sends were refused with 429, want at most a handful", r.refused)
	}
}

// BenchmarkBurst reports the delivery rate of TestBurst's burst in
// messages/s (Telegram allows 30).
func BenchmarkBurst(b *testing.B) {
	var total burstResult
	for b.Loop() {
		r := runBurst(b, 120, 5, 4)
		total.messages += r.messages
		total.refused += r.refused
		total.elapsed += r.elapsed
	}
	b.ReportMetric(total.rate(), "messages/s")
	b.ReportMetric(float64(total.refused)/float64(b.N), "429s/op")
}
