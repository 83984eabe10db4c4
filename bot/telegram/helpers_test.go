package telegram

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/secret"
)

// testRedis connects to NEWSALERT_TEST_REDIS_URL (DB 15 by default). It
// fails when Redis is unreachable and CI is set, and skips otherwise. Keys
// under prefix are deleted when the test ends.
func testRedis(t testing.TB, prefix string) redis.UniversalClient {
	t.Helper()
	u := os.Getenv("NEWSALERT_TEST_REDIS_URL")
	if u == "" {
		u = "redis://127.0.0.1:6379/15"
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("NEWSALERT_TEST_REDIS_URL %q: %v", u, err)
	}
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		if os.Getenv("CI") != "" {
			t.Fatalf("Redis at %s is unreachable (CI is set): %v", u, err)
		}
		t.Skipf("Redis at %s is unreachable, skipping (set NEWSALERT_TEST_REDIS_URL): %v", u, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, globEscape(prefix)+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	return rdb
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a fake Bot API, Redis and a log buffer for one test.
type env struct {
	t      testing.TB
	fake   *telegramfake.Server
	rdb    redis.UniversalClient
	prefix string
	logs   *syncBuffer
}

func newEnv(t testing.TB, fo telegramfake.Options) *env {
	t.Helper()
	prefix := fmt.Sprintf("natest:%s:%d:", t.Name(), time.Now().UnixNano())
	return &env{t: t, fake: telegramfake.New(t, fo), rdb: testRedis(t, prefix), prefix: prefix, logs: &syncBuffer{}}
}

func (e *env) options() Options {
	return Options{
		Token:       secret.New(e.fake.Token),
		APIURL:      e.fake.URL(),
		Redis:       e.rdb,
		KeyPrefix:   e.prefix,
		Logger:      slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ProcessID:   "proc-a",
		PollTimeout: time.Second,
		LeaseTTL:    600 * time.Millisecond,
	}
}

// unconnected builds an adapter without connecting it (enough for Send);
// edit adjusts the options.
func (e *env) unconnected(edit func(*Options)) *Adapter {
	e.t.Helper()
	opts := e.options()
	if edit != nil {
		edit(&opts)
	}
	a, err := New(opts)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	return a
}

// adapter builds and connects an adapter; edit adjusts the options.
func (e *env) adapter(edit func(*Options)) *Adapter {
	e.t.Helper()
	a := e.unconnected(edit)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Connect(ctx); err != nil {
		e.t.Fatalf("Connect: %v", err)
	}
	return a
}

// serve runs a.Serve(h) until the returned stop is called (or the test
// ends); stop checks that Serve returned nil promptly and closes a.
func (e *env) serve(a *Adapter, h bot.Handler) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, h) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Serve returned %v, want nil on cancellation", err)
				}
			case <-time.After(5 * time.Second):
				e.t.Errorf("Serve did not return within 5s of cancellation")
			}
			if err := a.Close(context.Background()); err != nil {
				e.t.Errorf("Close: %v", err)
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

// recorder is a bot.Handler that records requests (with the answer of
// CanManageChat) and replies "ok /command args".
type recorder struct {
	mu      sync.Mutex
	reqs    []bot.Request
	manage  []string // "yes", "no", "nil" or "error: ..."
	changed chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{}, 1000)} }

func (r *recorder) Handle(ctx context.Context, req bot.Request) bot.Reply {
	m := "nil"
	if req.CanManageChat != nil {
		ok, err := req.CanManageChat(ctx)
		switch {
		case err != nil:
			m = "error: " + err.Error()
		case ok:
			m = "yes"
		default:
			m = "no"
		}
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.manage = append(r.manage, m)
	r.mu.Unlock()
	r.changed <- struct{}{}
	return bot.Reply{Text: strings.TrimSpace("ok /" + req.Command + " " + req.Args)}
}

func (r *recorder) requests() ([]bot.Request, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Request(nil), r.reqs...), append([]string(nil), r.manage...)
}

// wait waits until n requests were handled.
func (r *recorder) wait(t testing.TB, n int) ([]bot.Request, []string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		reqs, manage := r.requests()
		if len(reqs) >= n {
			return reqs, manage
		}
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("handled %d requests, want %d: %+v", len(reqs), n, reqs)
		}
	}
}

func waitSent(t testing.TB, f *telegramfake.Server, n int) []telegramfake.Sent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sent, err := f.WaitSent(ctx, n)
	if err != nil {
		t.Fatalf("%v: %+v", err, sent)
	}
	return sent
}

// stripRequest drops the function fields so requests compare with ==.
func stripRequest(r bot.Request) bot.Request {
	r.CanManageChat, r.CanManageSources, r.Progress, r.ID = nil, nil, nil, ""
	return r
}

// byChat orders requests (and their CanManageChat answers) by chat,
// keeping each chat's order: chats are handled concurrently, so only the
// order within a chat is defined.
func byChat(reqs []bot.Request, manage []string) ([]bot.Request, []string) {
	idx := make([]int, len(reqs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return reqs[idx[i]].Chat.String() < reqs[idx[j]].Chat.String() })
	r2, m2 := make([]bot.Request, len(reqs)), make([]string, len(reqs))
	for i, k := range idx {
		r2[i], m2[i] = reqs[k], manage[k]
	}
	return r2, m2
}

// replyTexts splits what was sent per chat into the replies it carries
// (several queued replies may go out merged, separated by a blank line).
func replyTexts(sent []telegramfake.Sent) map[int64][]string {
	out := map[int64][]string{}
	for _, s := range sent {
		out[s.ChatID] = append(out[s.ChatID], strings.Split(s.Text, "\n\n")...)
	}
	return out
}

// waitReplies waits until n replies (counting merged ones) were sent.
func waitReplies(t testing.TB, f *telegramfake.Server, n int) []telegramfake.Sent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		sent := f.Sent()
		got := 0
		for _, texts := range replyTexts(sent) {
			got += len(texts)
		}
		if got >= n {
			return sent
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d replies sent, want %d: %+v", got, n, sent)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// nilRedis is a client that is never used (rendering-only adapters); it
// makes no connection until a command runs.
func nilRedis() redis.UniversalClient {
	return redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
}

// flowingClock is a real clock that reads as base: deterministic dates,
// real durations for pacing.
func flowingClock(base time.Time) func() time.Time {
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}
