package outbox

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// The crash test runs the deliverer in a child process (this test binary,
// re-executed) so that it can be killed with SIGKILL mid-delivery.
const childEnv = "NEWSALERT_OUTBOX_CRASH_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runCrashChild())
	}
	os.Exit(m.Run())
}

// httpPlatform delivers each alert by POSTing it to the parent's counter.
type httpPlatform struct{ url string }

func (p httpPlatform) Limits() bot.Limits { return bot.Limits{MaxBatch: 1, SummaryRunes: 200} }

func (p httpPlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	var r bot.Receipt
	for _, a := range batch {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.url+"?chat="+chat.ID+"&story="+a.StoryID, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return r, true, fmt.Errorf("post alert: %w", bot.ErrOutcomeUnknown)
		}
		resp.Body.Close()
		r.MessageIDs = append(r.MessageIDs, "m")
	}
	return r, false, nil
}

func (p httpPlatform) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	return false, nil
}

func runCrashChild() int {
	opt, err := redis.ParseURL(os.Getenv("NEWSALERT_TEST_REDIS_URL"))
	if err != nil {
		return 2
	}
	rdb := redis.NewClient(opt)
	prefix := os.Getenv("CRASH_PREFIX")
	consumer := os.Getenv("CRASH_CONSUMER")
	if consumer == "" {
		consumer = "crash-child"
	}
	idle, _ := time.ParseDuration(os.Getenv("CRASH_RECLAIM_IDLE"))
	d := NewDeliverer(New(rdb, prefix), DelivererOptions{
		Consumer:    consumer,
		ReclaimIdle: idle,
		Platforms:   map[string]Platform{"fake": httpPlatform{url: os.Getenv("CRASH_URL")}},
		Stories:     sources.NewStoryStore(rdb, prefix, time.Hour, 100),
		Chats:       subscriptions.NewChats(rdb, prefix),
		Records:     NewRecords(rdb, prefix, time.Hour),
		Senders:     8,
	})
	d.Run(context.Background()) // until killed
	return 0
}

// TestCrashDeliversEveryAlert sends one story to 1,000 chats, SIGKILLs the
// delivering process at a random point, restarts it, and checks that every
// chat got the alert, and that no more chats than the sends in flight at
// the kill got it twice; ten runs.
func TestCrashDeliversEveryAlert(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs child processes")
	}
	rdb, prefix := redistest.Client(t)
	var mu sync.Mutex
	got := map[string]int{} // story/chat -> deliveries
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(rand.IntN(1500)) * time.Microsecond)
		mu.Lock()
		got[r.URL.Query().Get("story")+"/"+r.URL.Query().Get("chat")]++
		mu.Unlock()
	}))
	defer srv.Close()
	box := New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, time.Hour, 100)
	ctx := context.Background()
	const chats, runs, senders = 1000, 10, 8
	start := func() *exec.Cmd { return startChild(t, prefix, srv.URL, "crash-child", 0) }
	delivered := func(story string) (n, twice int) { return countDelivered(&mu, got, story, chats) }
	totalTwice := 0
	for run := range runs {
		story := fmt.Sprintf("story-%d", run)
		stories.Save(ctx, []sources.Story{{ID: story, Title: "Crash test " + story, Text: "Something happened.", Published: time.Now()}})
		entries := make([]Entry, chats)
		for c := range entries {
			entries[c] = Entry{StoryID: story, Chat: subscriptions.Chat{Platform: "fake", ID: fmt.Sprint(c)}, Enqueued: time.Now()}
		}
		if err := box.Enqueue(ctx, int64(run), entries, sources.SeenMark{}); err != nil {
			t.Fatal(err)
		}
		child := start()
		// Kill at a random point: after 5% to 95% of the alerts went out.
		killAt := chats * (5 + rand.IntN(91)) / 100
		deadline := time.Now().Add(30 * time.Second)
		for {
			n, _ := delivered(story)
			if n >= killAt || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		atKill, _ := delivered(story)
		// Restart and let it finish.
		child = start()
		deadline = time.Now().Add(60 * time.Second)
		for {
			n, _ := delivered(story)
			left, _ := box.Len(ctx)
			if (n == chats && left == 0) || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		n, twice := delivered(story)
		t.Logf("run %d: killed after %d of %d alerts; after the restart %d chats have the alert, %d twice", run, atKill, chats, n, twice)
		if n != chats {
			t.Errorf("run %d: %d chats never got the alert", run, chats-n)
		}
		if twice > senders {
			t.Errorf("run %d: %d chats got the alert twice; at most %d sends were in flight", run, twice, senders)
		}
		totalTwice += twice
	}
	t.Logf("over %d runs: %d duplicate alerts in %d (bound: %d sends in flight per kill)", runs, totalTwice, runs*chats, senders)
}

func startChild(t *testing.T, prefix, url, consumer string, reclaimIdle time.Duration) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "NEWSALERT_TEST_REDIS_URL="+redistest.URL(),
		"CRASH_PREFIX="+prefix, "CRASH_URL="+url, "CRASH_CONSUMER="+consumer, "CRASH_RECLAIM_IDLE="+reclaimIdle.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func countDelivered(mu *sync.Mutex, got map[string]int, story string, chats int) (n, twice int) {
	mu.Lock()
	defer mu.Unlock()
	for c := range chats {
		k := fmt.Sprintf("%s/%d", story, c)
		if got[k] > 0 {
			n++
		}
		if got[k] > 1 {
			twice++
		}
	}
	return n, twice
}

// TestThreeReplicasOneKilled runs three deliverers on one Redis and
// SIGKILLs one mid-delivery: the others take over its pending alerts, and
// every chat gets the story, twice at most for the sends the dead one had in
// flight.
func TestThreeReplicasOneKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	rdb, prefix := redistest.Client(t)
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		mu.Lock()
		got[r.URL.Query().Get("story")+"/"+r.URL.Query().Get("chat")]++
		mu.Unlock()
	}))
	defer srv.Close()
	ctx := context.Background()
	box := New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, time.Hour, 100)
	const chats = 1000
	stories.Save(ctx, []sources.Story{{ID: "s", Title: "Replicas", Text: "Something happened.", Published: time.Now()}})
	var replicas []*exec.Cmd
	for i := range 3 {
		replicas = append(replicas, startChild(t, prefix, srv.URL, fmt.Sprintf("replica-%d", i), time.Second))
	}
	defer func() {
		for _, r := range replicas {
			r.Process.Signal(syscall.SIGKILL)
			r.Wait()
		}
	}()
	time.Sleep(300 * time.Millisecond) // all three are reading
	// Spread the chats over every partition so all replicas have work.
	for p := range int64(sources.Partitions) {
		var entries []Entry
		for c := int(p); c < chats; c += sources.Partitions {
			entries = append(entries, Entry{StoryID: "s", Chat: subscriptions.Chat{Platform: "fake", ID: fmt.Sprint(c)}, Enqueued: time.Now()})
		}
		if err := box.Enqueue(ctx, p, entries, sources.SeenMark{}); err != nil {
			t.Fatal(err)
		}
	}
	for {
		if n, _ := countDelivered(&mu, got, "s", chats); n >= chats/3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	replicas[0].Process.Signal(syscall.SIGKILL)
	replicas[0].Wait()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		n, _ := countDelivered(&mu, got, "s", chats)
		left, _ := box.Len(ctx)
		if n == chats && left == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	n, twice := countDelivered(&mu, got, "s", chats)
	t.Logf("3 replicas, one killed: %d of %d chats got the alert, %d twice", n, chats, twice)
	if n != chats {
		t.Errorf("%d chats never got the alert", chats-n)
	}
	if twice > 8 {
		t.Errorf("%d chats got it twice; the killed replica had at most 8 sends in flight", twice)
	}
}
