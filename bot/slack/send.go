package slack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// conversation ids: C… public, G… private, D… direct messages.
var channelID = regexp.MustCompile(`^[CDG][A-Z0-9]{2,30}$`)

func checkChat(chat bot.Chat) error {
	if chat.Platform != Platform {
		return fmt.Errorf("slack: chat %s is not a slack chat", chat)
	}
	if !channelID.MatchString(chat.ID) {
		return fmt.Errorf("slack: chat %s: not a conversation id", chat)
	}
	return nil
}

// unfurl off: a story link must not grow a preview card nobody asked for.
func messageOptions(blocks []slack.Block, text string) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionText(text, false),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
}

// Send posts batch to chat.ID as one Block Kit message (several alerts
// share it, as on the other platforms), paced to about one message a
// second per channel. Every MessageIDs entry is the message's ts.
func (a *Adapter) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	if err := checkChat(chat); err != nil {
		return bot.Receipt{}, false, err
	}
	if len(batch) == 0 {
		return bot.Receipt{}, false, nil
	}
	if len(batch) > maxBatch {
		return bot.Receipt{}, false, fmt.Errorf("slack: send %d alerts to %s: at most %d a message", len(batch), chat, maxBatch)
	}
	key := batchKey(chat.ID, batch)
	ts := a.resolveEarlier(ctx, chat.ID, key)
	if ts == "" {
		var err error
		if ts, err = a.post(ctx, chat.ID, key, batch); err != nil {
			retry, err := classify(ctx, err)
			return bot.Receipt{}, retry, fmt.Errorf("slack: send %d alerts to %s: %w", len(batch), chat, err)
		}
	}
	ids := make([]string, len(batch))
	for i := range ids {
		ids[i] = ts
	}
	return bot.Receipt{MessageIDs: ids}, false, nil
}

// post posts the batch with its key in the message metadata, recording
// the attempt while its outcome is unknown.
func (a *Adapter) post(ctx context.Context, channel, key string, batch []bot.Alert) (string, error) {
	if a.opts.Inflight != nil {
		if err := a.opts.Inflight.Begin(ctx, key, time.Now()); err != nil {
			return "", fmt.Errorf("record attempt: %w", err)
		}
	}
	opts := append(messageOptions(messageBlocks(batch), fallbackText(batch)),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": key}}))
	var ts string
	err := a.call(ctx, "chat.postMessage", channel, func(ctx context.Context) error {
		var err error
		_, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	// Surely not posted: forget the attempt. A posted one is kept (it
	// expires): the process may die before delivery records it as sent,
	// and the resend must then find this message.
	if a.opts.Inflight != nil && err != nil && (slackCode(err) != "" || errors.As(err, new(*slack.RateLimitedError))) {
		a.opts.Inflight.Done(context.WithoutCancel(ctx), key)
	}
	return ts, err
}

// Notify posts a short plain-text notice, escaped, pinging no one.
func (a *Adapter) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	if err := checkChat(chat); err != nil {
		return false, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return false, nil
	}
	blocks := textBlocks(text)
	fallback := escapeFit(text, fallbackChars)
	err := a.call(ctx, "chat.postMessage", chat.ID, func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, chat.ID, messageOptions(blocks, fallback)...)
		return err
	})
	if err != nil {
		retry, err := classify(ctx, err)
		return retry, fmt.Errorf("slack: notify %s: %w", chat, err)
	}
	return false, nil
}

// textBlocks renders plain text (a notice, a digest) escaped, in sections
// of at most 3000 characters split at line ends, at most 50 of them.
func textBlocks(text string) []slack.Block {
	var blocks []slack.Block
	var cur strings.Builder
	n := 0
	flush := func() {
		if cur.Len() > 0 && len(blocks) < maxTextBlocks {
			blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cur.String(), false, false), nil, nil))
		}
		cur.Reset()
		n = 0
	}
	for _, line := range strings.Split(text, "\n") {
		l := escapeFit(line, sectionChars-1)
		if l == "" {
			l = " "
		}
		ln := utf8.RuneCountInString(l)
		if n > 0 && n+1+ln > sectionChars {
			flush()
		}
		if n > 0 {
			cur.WriteString("\n")
			n++
		}
		cur.WriteString(l)
		n += ln
	}
	flush()
	return blocks
}

// maxTextBlocks keeps a notice within Slack's 50 blocks.
const maxTextBlocks = 50

// Edit re-renders the alerts a message carries (with "Also reported by")
// and replaces it with chat.update.
func (a *Adapter) Edit(ctx context.Context, chat bot.Chat, messageID string, batch []bot.Alert) (bool, error) {
	if err := checkChat(chat); err != nil {
		return false, err
	}
	if len(batch) == 0 || len(batch) > maxBatch {
		return false, fmt.Errorf("slack: edit %s in %s: %d alerts", messageID, chat, len(batch))
	}
	if !messageTS.MatchString(messageID) {
		return false, fmt.Errorf("slack: edit in %s: %q is not a message ts", chat, messageID)
	}
	err := a.call(ctx, "chat.update", chat.ID, func(ctx context.Context) error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, chat.ID, messageID,
			slack.MsgOptionBlocks(messageBlocks(batch)...), slack.MsgOptionText(fallbackText(batch), false))
		return err
	})
	if err != nil {
		retry, err := classify(ctx, err)
		return retry, fmt.Errorf("slack: edit %s in %s: %w", messageID, chat, err)
	}
	return false, nil
}

var messageTS = regexp.MustCompile(`^[0-9]{1,12}\.[0-9]{1,9}$`)
