package discord

import (
	"context"
	"testing"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

// A slow command (one that reports progress) is deferred at once; another
// channel's command is answered meanwhile; a command of the same channel
// waits its turn, is deferred before Discord's window closes, and gets its
// answer once it ran.
func TestCommandsConcurrentAcrossChannelsOrderedWithin(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	release := make(chan struct{})
	rec := &recorder{reply: func(ctx context.Context, req bot.Request) bot.Reply {
		if req.Command == "source" || req.Command == "addsource" {
			req.Progress("Checking https://x.example/feed (up to 30 s)")
			select {
			case <-release:
			case <-ctx.Done():
			}
		}
		return bot.Reply{Text: "Result for " + req.Command, Private: true}
	}}
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	serve(t, a, rec)
	const otherChannel = "1300000000000000002"
	base := discordfake.Interaction{GuildID: guildID, ChannelID: channelID, UserID: userID}
	slow := base
	slow.Command, slow.Subcommand = "source", "add"
	slow.Options = []discordfake.Option{{Name: "url", Value: "https://x.example/feed"}}
	ps, cb := interaction(t, f, slow)
	if cb.Type != respDeferred {
		t.Fatalf("slow command: initial response %d, want %d (deferred)", cb.Type, respDeferred)
	}
	other := base
	other.ChannelID, other.Command = otherChannel, "list"
	if _, cb := interaction(t, f, other); cb.Type != respMessage || cb.Content != "Result for list" {
		t.Fatalf("other channel: response %d %q, want the answer at once", cb.Type, cb.Content)
	}
	same := base
	same.Command = "list"
	pq, cb := interaction(t, f, same)
	if cb.Type != respDeferred {
		t.Fatalf("queued command: initial response %d, want %d (deferred while waiting)", cb.Type, respDeferred)
	}
	rec.mu.Lock()
	n := len(rec.requests)
	rec.mu.Unlock()
	if n != 2 {
		t.Fatalf("handler ran %d commands, want 2 (the queued one waits)", n)
	}
	close(release)
	for _, p := range []*discordfake.PendingInteraction{ps, pq} {
		if err := f.WaitFor(waitCtx(t), func() bool { m, ok := p.Original(); return ok && m.Edits > 0 }); err != nil {
			t.Fatal(err)
		}
	}
	if m, _ := pq.Original(); m.Content != "Result for list" {
		t.Errorf("queued command's answer %q", m.Content)
	}
}
