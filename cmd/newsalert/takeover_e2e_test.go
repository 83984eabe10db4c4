package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

// child is `newsalert run` as a child process (this test binary, see
// TestMain), so that it can be SIGKILLed.
type child struct {
	cmd  *exec.Cmd
	logs *syncBuf
	done chan struct{}
}

func startChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "NEWSALERT_CONSOLE=off")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, logs: &syncBuf{}, done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.logs.Write([]byte(sc.Text() + "\n"))
		}
		cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.kill()
		if t.Failed() {
			t.Logf("child %d logs:\n%s", cmd.Process.Pid, c.logs.String())
		}
	})
	return c
}

// kill SIGKILLs the child and waits for it.
func (c *child) kill() {
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

// pollers reports whether the log says the child holds the polling lease.
func (c *child) polling() bool {
	return strings.Contains(c.logs.String(), "telegram polling lease acquired")
}

// waitAnswer sends text from user and waits (up to a generous deadline)
// for the bot's answer containing want; it returns when the message was
// sent and the answer.
func waitAnswer(t *testing.T, fake *telegramfake.Server, user telegramfake.User, text, want string) (time.Time, telegramfake.Sent) {
	t.Helper()
	before := len(sentTo(fake, user.ID, 0))
	sent := time.Now()
	fake.PrivateMessage(user, text)
	deadline := sent.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		msgs := sentTo(fake, user.ID, 0)
		for _, s := range msgs[min(before, len(msgs)):] {
			if strings.Contains(s.Text, want) {
				return sent, s
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no answer with %q to %q", want, text)
	return time.Time{}, telegramfake.Sent{}
}

// TestSIGKILLRestartAnswersWithinSeconds: with a Redis server, `newsalert
// run` is SIGKILLed and started again at once; the restarted process
// takes the polling lease back and answers a command within 5 s of its
// start. With two replicas running, and the polling one SIGKILLed, the
// other takes over; never do two getUpdates calls overlap.
func TestSIGKILLRestartAnswersWithinSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	env := telegramEnv(fake)
	env["NEWSALERT_INSTANCE"] = "takeover"

	// One instance, killed and restarted at once.
	a := startChild(t, env)
	waitAnswer(t, fake, tgUser, "/subscribe ukraine", "Subscribed (#1): ukraine")
	a.kill()
	restart := time.Now()
	b := startChild(t, env)
	_, answer := waitAnswer(t, fake, tgUser, "/list", "1. ukraine")
	if took := answer.At.Sub(restart); took >= 5*time.Second {
		t.Errorf("the restarted bot answered %s after its start, want within 5 s", took)
	} else {
		t.Logf("restarted bot answered %s after its start", took)
	}
	if strings.Contains(b.logs.String(), "polled by another process") {
		t.Errorf("the restarted bot waited for its own dead predecessor's lease")
	}

	// Two replicas of the same instance on this machine: one polls, the
	// other waits; the polling one is killed and the other takes over.
	c := startChild(t, env)
	time.Sleep(2 * time.Second) // c has tried the lease and is waiting
	waitAnswer(t, fake, tgUser, "/subscribe grain", "Subscribed (#2): grain")
	holder, standby := b, c
	if c.polling() {
		holder, standby = c, b
	}
	if holder.polling() == standby.polling() {
		t.Fatalf("want exactly one replica polling: first %v, second %v", b.polling(), c.polling())
	}
	holder.kill()
	waitAnswer(t, fake, tgUser, "/list", "2. grain")
	if !standby.polling() {
		t.Error("the standby replica answered without taking the polling lease")
	}
	standby.kill()
	if n := fake.OverlappingPolls(); n != 0 {
		t.Errorf("%d getUpdates calls overlapped another: two replicas polled at once", n)
	}
}

// stallingFeed answers the first request with a feed and stalls every
// later one (a poll in progress) until the client goes away; it counts
// the requests.
type stallingFeed struct {
	mu   sync.Mutex
	hits []time.Time
}

func (f *stallingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits = append(f.hits, time.Now())
	n := len(f.hits)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Stall</title>`)
	if n > 1 {
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		return
	}
	fmt.Fprint(w, `<item><title>x</title><guid>1</guid></item></channel></rss>`)
}

func (f *stallingFeed) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.hits)
}

// TestSIGKILLMidPollSourceRepolledAtOnce: a process killed while it polls
// a source (the source is leased to it for the fetch timeout plus a
// minute) is restarted; the restarted instance polls that source again at
// once, not after the lease.
func TestSIGKILLMidPollSourceRepolledAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	feed := &stallingFeed{}
	srv := httptest.NewServer(feed)
	defer srv.Close()
	env := telegramEnv(fake)
	env["NEWSALERT_INSTANCE"] = "midpoll"
	env["NEWSALERT_FETCH_TIMEOUT"] = "60s" // the poll's lease: 2 minutes

	a := startChild(t, env)
	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Stall")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Stall")
	deadline := time.Now().Add(30 * time.Second)
	for feed.count() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the source was never polled after it was added")
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.kill() // mid-poll: the source stays leased to the dead process
	before := feed.count()
	b := startChild(t, env)
	defer b.kill() // before the feed server closes: its poll stalls
	// Well within the two-minute lease the dead process left.
	deadline = time.Now().Add(30 * time.Second)
	for feed.count() <= before {
		if time.Now().After(deadline) {
			t.Fatal("the restarted instance did not poll the source its killed predecessor had claimed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
