package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	GoneAt     time.Time // when the platform last refused the chat
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
	var goneAt time.Time
	if ms, err := strconv.ParseInt(m["gone_at"], 10, 64); err == nil {
		goneAt = time.UnixMilli(ms)
	}
	return ChatSettings{GoneAt: goneAt, Paused: m["paused"] == "1", Gone: m["gone"] == "1", GoneReason: m["gone_reason"],
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

func (c *Chats) goneKey() string { return c.prefix + "chats:gone" }

// MarkGone records that chat no longer accepts messages; its alerts are
// dropped until it comes back. The chat is listed by GoneChats. It reports
// whether the chat was reachable until now.
func (c *Chats) MarkGone(ctx context.Context, chat Chat, reason string, now time.Time) (bool, error) {
	was, err := c.rdb.HGet(ctx, c.key(chat), "gone").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return false, fmt.Errorf("mark %s gone: %w", chat, err)
	}
	err = c.rdb.HSet(ctx, c.key(chat), "gone", "1", "gone_reason", reason, "gone_at", now.UnixMilli()).Err()
	if err == nil {
		err = c.rdb.ZAdd(ctx, c.goneKey(), redis.Z{Score: float64(now.UnixMilli()), Member: chat.String()}).Err()
	}
	if err != nil {
		return false, fmt.Errorf("mark %s gone: %w", chat, err)
	}
	return was != "1", nil
}

// Seen clears the gone mark: the chat sent a command, or the platform said
// the bot may post there again. It reports whether the chat was gone.
func (c *Chats) Seen(ctx context.Context, chat Chat) (bool, error) {
	n, err := c.rdb.HDel(ctx, c.key(chat), "gone", "gone_reason", "gone_at").Result()
	if err == nil {
		err = c.rdb.ZRem(ctx, c.goneKey(), chat.String()).Err()
	}
	if err != nil {
		return false, fmt.Errorf("clear gone mark of %s: %w", chat, err)
	}
	return n > 0, nil
}

// GoneChat is a chat that stopped accepting the bot's messages.
type GoneChat struct {
	Chat   Chat
	Reason string
	Since  time.Time
}

// GoneChats lists the chats marked gone, most recent first, at most limit.
func (c *Chats) GoneChats(ctx context.Context, limit int) ([]GoneChat, int64, error) {
	total, err := c.rdb.ZCard(ctx, c.goneKey()).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("list gone chats: %w", err)
	}
	ids, err := c.rdb.ZRevRange(ctx, c.goneKey(), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("list gone chats: %w", err)
	}
	out := make([]GoneChat, 0, len(ids))
	for _, id := range ids {
		chat, err := ParseChat(id)
		if err != nil {
			continue
		}
		m, err := c.rdb.HMGet(ctx, c.key(chat), "gone_reason", "gone_at").Result()
		if err != nil {
			return nil, 0, fmt.Errorf("list gone chats: %w", err)
		}
		g := GoneChat{Chat: chat}
		g.Reason, _ = m[0].(string)
		if at, ok := m[1].(string); ok {
			if ms, err := strconv.ParseInt(at, 10, 64); err == nil {
				g.Since = time.UnixMilli(ms)
			}
		}
		out = append(out, g)
	}
	return out, total, nil
}

// Move gives chat to the settings of chat from (a Telegram group that
// became a supergroup) and removes from's: to keeps any setting it already
// has, and is reachable.
func (c *Chats) Move(ctx context.Context, from, to Chat) error {
	if from == to {
		return nil
	}
	m, err := c.rdb.HGetAll(ctx, c.key(from)).Result()
	if err != nil {
		return fmt.Errorf("move settings of %s: %w", from, err)
	}
	for _, k := range []string{"gone", "gone_reason", "gone_at"} {
		delete(m, k)
	}
	for k, v := range m {
		if err := c.rdb.HSetNX(ctx, c.key(to), k, v).Err(); err != nil {
			return fmt.Errorf("move settings of %s: %w", from, err)
		}
	}
	if _, err := c.Seen(ctx, to); err != nil {
		return err
	}
	if err := c.rdb.Del(ctx, c.key(from)).Err(); err != nil {
		return fmt.Errorf("move settings of %s: %w", from, err)
	}
	return c.rdb.ZRem(ctx, c.goneKey(), from.String()).Err()
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
