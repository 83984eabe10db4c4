package subscriptions

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ChatSettings are per-chat switches.
type ChatSettings struct {
	Paused bool // the chat asked for no alerts until /resume
	// Gone is set when the platform said the chat no longer accepts the
	// bot's messages (blocked, kicked, deleted); cleared when a command
	// arrives from the chat again.
	Gone       bool
	GoneReason string
	// Timezone is an IANA zone name (or UTC offset) for quiet hours and
	// digest times; empty means UTC.
	Timezone string
	// Quiet is the chat's quiet hours as schedule.ParseQuiet reads them
	// ("22:00-07:00"); empty or "off" means none.
	Quiet string
	// Webhook, when set, is a Discord webhook URL the chat's alerts are
	// delivered through (a custom name and avatar). It is a secret: never
	// print it.
	Webhook string
	// NoFold is set by "/duplicates off": the chat receives every matching
	// story, even the same event from several sources.
	NoFold bool
}

// Chats keeps per-chat settings in Redis.
type Chats struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewChats returns the settings store.
func NewChats(rdb redis.UniversalClient, prefix string) *Chats {
	return &Chats{rdb: rdb, prefix: prefix}
}

func (c *Chats) key(chat Chat) string { return c.prefix + "{chat:" + chat.String() + "}:settings" }

// Get loads chat's settings; a chat never seen has the zero settings.
func (c *Chats) Get(ctx context.Context, chat Chat) (ChatSettings, error) {
	m, err := c.rdb.HGetAll(ctx, c.key(chat)).Result()
	if err != nil {
		return ChatSettings{}, fmt.Errorf("load settings of %s: %w", chat, err)
	}
	return ChatSettings{Paused: m["paused"] == "1", Gone: m["gone"] == "1", GoneReason: m["gone_reason"],
		Timezone: m["tz"], Quiet: m["quiet"], Webhook: m["webhook"], NoFold: m["nofold"] == "1"}, nil
}

// SetPaused pauses or resumes alerts to chat.
func (c *Chats) SetPaused(ctx context.Context, chat Chat, paused bool) error {
	if err := c.rdb.HSet(ctx, c.key(chat), "paused", boolStr(paused)).Err(); err != nil {
		return fmt.Errorf("set paused of %s: %w", chat, err)
	}
	return nil
}

// SetFolding turns folding of the same story from several sources into
// one alert on (the default) or off for chat.
func (c *Chats) SetFolding(ctx context.Context, chat Chat, on bool) error {
	if err := c.rdb.HSet(ctx, c.key(chat), "nofold", boolStr(!on)).Err(); err != nil {
		return fmt.Errorf("set duplicates of %s: %w", chat, err)
	}
	return nil
}

// SetTimezone stores the chat's time zone name.
func (c *Chats) SetTimezone(ctx context.Context, chat Chat, tz string) error {
	if err := c.rdb.HSet(ctx, c.key(chat), "tz", tz).Err(); err != nil {
		return fmt.Errorf("set time zone of %s: %w", chat, err)
	}
	return nil
}

// SetQuiet stores the chat's quiet hours ("22:00-07:00" or "off").
func (c *Chats) SetQuiet(ctx context.Context, chat Chat, quiet string) error {
	if err := c.rdb.HSet(ctx, c.key(chat), "quiet", quiet).Err(); err != nil {
		return fmt.Errorf("set quiet hours of %s: %w", chat, err)
	}
	return nil
}

// SetWebhook stores (or, empty, removes) the chat's delivery webhook.
func (c *Chats) SetWebhook(ctx context.Context, chat Chat, url string) error {
	var err error
	if url == "" {
		err = c.rdb.HDel(ctx, c.key(chat), "webhook").Err()
	} else {
		err = c.rdb.HSet(ctx, c.key(chat), "webhook", url).Err()
	}
	if err != nil {
		return fmt.Errorf("set webhook of %s: %w", chat, err)
	}
	return nil
}

// MarkGone records that chat no longer accepts messages; its alerts are
// dropped until it comes back.
func (c *Chats) MarkGone(ctx context.Context, chat Chat, reason string, now time.Time) error {
	err := c.rdb.HSet(ctx, c.key(chat), "gone", "1", "gone_reason", reason, "gone_at", now.UnixMilli()).Err()
	if err != nil {
		return fmt.Errorf("mark %s gone: %w", chat, err)
	}
	return nil
}

// Seen clears the gone mark: the chat sent a command, so it is reachable.
func (c *Chats) Seen(ctx context.Context, chat Chat) error {
	if err := c.rdb.HDel(ctx, c.key(chat), "gone", "gone_reason", "gone_at").Err(); err != nil {
		return fmt.Errorf("clear gone mark of %s: %w", chat, err)
	}
	return nil
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
