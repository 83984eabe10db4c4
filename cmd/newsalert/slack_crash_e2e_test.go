package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/outbox"
	slackfake "github.com/newsalert/newsalert/internal/fakes/slack"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestSlackCrashMidBurst: one story queued for 50 Slack channels,
// `newsalert run` (this binary as a child process) SIGKILLed while it
// delivers, then restarted; three runs. Every channel gets the story
// exactly once: nothing is lost, and a send the killed process may have
// made is found in the channel (by its metadata) instead of repeated.
func TestSlackCrashMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake := newSlackFake(t)
	const prefix, chats, runs = "na:", 50, 3
	for i := range chats {
		fake.AddChannel(slackfake.Channel{ID: fmt.Sprintf("C%03d", i), IsMember: true})
	}
	ctx := context.Background()
	box := outbox.New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, time.Hour, 100)
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1",
			"NEWSALERT_REDIS_URL="+redistest.URL(), "NEWSALERT_HTTP_ADDR=off", "NEWSALERT_CONSOLE=off",
			"NEWSALERT_INSTANCE=slack-crash", "SLACK_BOT_TOKEN="+slackBotToken, "SLACK_APP_TOKEN="+slackAppToken,
			"SLACK_API_URL="+fake.APIURL(), "TELEGRAM_BOT_TOKEN=", "DISCORD_BOT_TOKEN=", "NEWSALERT_LOG_LEVEL=warn")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	delivered := func(title string) (n, twice int) {
		for _, msgs := range fake.AllMessages() {
			k := 0
			for _, m := range msgs {
				k += strings.Count(m.Blocks, title)
			}
			if k > 0 {
				n++
			}
			if k > 1 {
				twice++
			}
		}
		return n, twice
	}
	for run := range runs {
		title := fmt.Sprintf("Slack crash run %d: grain deal signed", run)
		st := sources.Story{ID: fmt.Sprintf("slack-crash-%d", run), Title: title, Text: "Kyiv and Ankara agreed to reopen shipping lanes.",
			SourceName: "Wire", Link: "https://wire.example/" + fmt.Sprint(run), Published: time.Now()}
		stories.Save(ctx, []sources.Story{st})
		entries := make([]outbox.Entry, chats)
		for c := range entries {
			entries[c] = outbox.Entry{StoryID: st.ID, Chat: subscriptions.Chat{Platform: "slack", ID: fmt.Sprintf("C%03d", c)}, Enqueued: time.Now()}
		}
		if err := box.Enqueue(ctx, int64(run), entries, sources.SeenMark{}); err != nil {
			t.Fatal(err)
		}
		child := start()
		killAt := chats * (5 + rand.IntN(86)) / 100
		deadline := time.Now().Add(60 * time.Second)
		for {
			if n, _ := delivered(title); n >= killAt || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		atKill, _ := delivered(title)
		child = start()
		deadline = time.Now().Add(90 * time.Second)
		for {
			n, _ := delivered(title)
			left, _ := box.Len(ctx)
			if (n == chats && left == 0) || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		child.Process.Signal(syscall.SIGTERM)
		child.Wait()
		n, twice := delivered(title)
		t.Logf("run %d: killed after %d of %d channels; after the restart %d have the alert, %d twice", run, atKill, chats, n, twice)
		if n != chats {
			t.Errorf("run %d: %d channels never got the alert", run, chats-n)
		}
		if twice > 0 {
			t.Errorf("run %d: %d channels got the alert twice", run, twice)
		}
	}
	if rl := fake.Stats().RateLimited["chat.postMessage"]; rl > 0 {
		t.Errorf("%d 429s on chat.postMessage", rl)
	}
}
