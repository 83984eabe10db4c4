package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestCrashWithDiscord: one story queued for 1,000 Discord channels,
// `newsalert run` (this binary as a child process) SIGKILLed at a random
// point while delivering through the fake Discord API, then restarted; ten
// runs. Every channel gets the story; a channel gets it twice at most for
// the sends in flight at the kill (Discord's enforce_nonce usually absorbs
// even those).
func TestCrashWithDiscord(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes for minutes")
	}
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	fake, err := discordfake.New(discordfake.Options{Token: discordToken, ApplicationID: "900", MessageLimit: -1, GlobalLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	ctx := context.Background()
	const prefix, chats, runs = "na:", 1000, 10
	box := outbox.New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, time.Hour, 100)
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1",
			"NEWSALERT_REDIS_URL="+redistest.URL(), "NEWSALERT_HTTP_ADDR=off", "NEWSALERT_CONSOLE=off",
			"NEWSALERT_INSTANCE=crash", "DISCORD_BOT_TOKEN="+discordToken, "DISCORD_API_URL="+fake.URL(),
			"TELEGRAM_BOT_TOKEN=", "NEWSALERT_LOG_LEVEL=warn")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	// delivered counts, per channel, the alerts for title.
	delivered := func(title string) (n, twice int) {
		for _, msgs := range fake.AllMessages() {
			k := 0
			for _, m := range msgs {
				if m.Deleted || m.InteractionID != "" {
					continue
				}
				for _, e := range m.Embeds {
					if e.Title == title {
						k++
					}
				}
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
		title := fmt.Sprintf("Crash run %d: grain deal signed", run)
		st := sources.Story{ID: fmt.Sprintf("crash-%d", run), Title: title, Text: "Kyiv and Ankara agreed to reopen shipping lanes.",
			SourceName: "Wire", Link: "https://wire.example/" + fmt.Sprint(run), Published: time.Now()}
		stories.Save(ctx, []sources.Story{st})
		entries := make([]outbox.Entry, chats)
		for c := range entries {
			entries[c] = outbox.Entry{StoryID: st.ID, Chat: subscriptions.Chat{Platform: "discord", ID: fmt.Sprint(1_000_000 + c)}, Enqueued: time.Now()}
		}
		if err := box.Enqueue(ctx, int64(run), entries, sources.SeenMark{}); err != nil {
			t.Fatal(err)
		}
		child := start()
		killAt := chats * (5 + rand.IntN(91)) / 100
		deadline := time.Now().Add(90 * time.Second)
		for {
			if n, _ := delivered(title); n >= killAt || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		atKill, _ := delivered(title)
		child = start()
		deadline = time.Now().Add(120 * time.Second)
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
		if twice > 32 {
			t.Errorf("run %d: %d channels got it twice, more than the 32 sends that can be in flight", run, twice)
		}
	}
}
