package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/newsalert/newsalert/subscriptions"
)

var _ ChatEvents = (*Commands)(nil)

// ChatMoved implements ChatEvents: the chat's subscriptions and settings
// move to its new id.
func (c *Commands) ChatMoved(ctx context.Context, from, to Chat) {
	n, err := subscriptions.MoveChat(ctx, c.opts.Subscriptions, c.opts.Chats, from, to)
	if err != nil {
		c.log.Error("chat moved, but its subscriptions could not follow", "from", from.String(), "to", to.String(), "err", err)
		return
	}
	c.opts.Metrics.ChatChanged("migrated")
	c.log.Info("chat moved: subscriptions and settings follow", "from", from.String(), "to", to.String(), "subscriptions", n)
}

// ChatReachable implements ChatEvents: a deactivated chat gets its alerts
// again.
func (c *Commands) ChatReachable(ctx context.Context, chat Chat) {
	const why = "the platform says the bot may post again"
	c.reactivate(ctx, chat, why)
	// Its forum topics (or threads) were deactivated one by one.
	gone, _, err := c.opts.Chats.GoneChats(ctx, 1000)
	if err != nil {
		c.log.Warn("cannot list deactivated chats", "err", err)
		return
	}
	for _, g := range gone {
		if g.Chat.Platform == chat.Platform && g.Chat.ID == chat.ID && g.Chat.Thread != "" {
			c.reactivate(ctx, g.Chat, why)
		}
	}
}

// ChatUnreachable implements ChatEvents: the chat is deactivated until it
// is reachable again.
func (c *Commands) ChatUnreachable(ctx context.Context, chat Chat, reason string) {
	fresh, err := c.opts.Chats.MarkGone(ctx, chat, reason, c.opts.Now())
	if err != nil {
		c.log.Warn("cannot deactivate chat", "chat", chat.String(), "err", err)
		return
	}
	if fresh {
		c.opts.Metrics.ChatChanged("deactivated")
		c.log.Warn("chat deactivated: the bot cannot post there any more", "chat", chat.String(), "reason", reason)
	}
}

// reactivate clears chat's gone mark, logging and counting it when it was
// set.
func (c *Commands) reactivate(ctx context.Context, chat Chat, why string) {
	if c.opts.Chats == nil {
		return
	}
	was, err := c.opts.Chats.Seen(ctx, chat)
	if err != nil {
		c.log.Warn("cannot clear gone mark", "chat", chat.String(), "err", err)
		return
	}
	if was {
		c.opts.Metrics.ChatChanged("reactivated")
		c.log.Info("chat reactivated: alerts resume", "chat", chat.String(), "why", why)
	}
}

// goneChatsShown bounds the deactivated chats /stats lists.
const goneChatsShown = 10

// goneStats is /stats' account of deactivated chats, or "" when none.
func (c *Commands) goneStats(ctx context.Context) (string, error) {
	if c.opts.Chats == nil {
		return "", nil
	}
	gone, total, err := c.opts.Chats.GoneChats(ctx, goneChatsShown)
	if err != nil || total == 0 {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nDeactivated chats (no alerts until reachable again): %d.", total)
	for _, g := range gone {
		fmt.Fprintf(&b, "\n- %s since %s: %s", g.Chat, g.Since.UTC().Format(time.DateTime), oneLine(g.Reason))
	}
	if total > int64(len(gone)) {
		fmt.Fprintf(&b, "\n… and %d more.", total-int64(len(gone)))
	}
	return b.String(), nil
}

// oneLine shortens a platform's refusal for a chat line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}
