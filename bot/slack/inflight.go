package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// Inflight remembers, durably, that a message is being posted, so that a
// send repeated after a crash or an unknown outcome looks for the message
// the first attempt may have posted instead of posting it twice (Slack
// has no idempotency key; the message carries its key in metadata).
type Inflight interface {
	// Begin records that key is being posted at at.
	Begin(ctx context.Context, key string, at time.Time) error
	// Started returns when key's earlier attempt began, if one is recorded.
	Started(ctx context.Context, key string) (time.Time, bool, error)
	// Done forgets key (an attempt that surely posted nothing). Attempts
	// that posted are left to expire.
	Done(ctx context.Context, key string)
}

// metadataType marks newsalert's alert messages.
const metadataType = "newsalert_alert"

// batchKey names a batch for one channel: the channel and its stories.
func batchKey(channel string, batch []bot.Alert) string {
	h := sha256.New()
	for _, al := range batch {
		fmt.Fprintf(h, "%s\x00", al.StoryID)
	}
	return channel + ":" + hex.EncodeToString(h.Sum(nil))[:32]
}

// earlierPost looks for the message an earlier attempt of key posted
// since it began (conversations.history with metadata). It returns the
// message's ts, or "" when there is none.
func (a *Adapter) earlierPost(ctx context.Context, channel, key string, began time.Time) (string, error) {
	oldest := strconv.FormatInt(began.Add(-time.Minute).Unix(), 10)
	var resp *slack.GetConversationHistoryResponse
	err := a.call(ctx, "conversations.history", "", func(ctx context.Context) error {
		var err error
		resp, err = a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channel, Oldest: oldest, Limit: 200, IncludeAllMetadata: true})
		return err
	})
	if err != nil {
		return "", err
	}
	for _, m := range resp.Messages {
		if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
			return m.Timestamp, nil
		}
	}
	return "", nil
}

// resolveEarlier returns the ts of a message an interrupted earlier
// attempt posted, or "" (also when it cannot tell: then it sends again,
// accepting a possible duplicate over a lost alert).
func (a *Adapter) resolveEarlier(ctx context.Context, channel, key string) string {
	if a.opts.Inflight == nil {
		return ""
	}
	began, ok, err := a.opts.Inflight.Started(ctx, key)
	if err != nil || !ok {
		return ""
	}
	ts, err := a.earlierPost(ctx, channel, key, began)
	if err != nil {
		if !strings.Contains(err.Error(), "missing_scope") {
			a.log.Warn("slack: cannot check for an earlier post; sending again", "channel", channel, "err", err)
		}
		return ""
	}
	return ts
}
