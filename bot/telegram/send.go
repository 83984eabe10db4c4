package telegram

import (
	"context"
	"fmt"
	"strconv"

	"github.com/newsalert/newsalert/bot"
)

type linkPreviewOptions struct {
	IsDisabled bool   `json:"is_disabled,omitempty"`
	URL        string `json:"url,omitempty"`
}

type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

type sendMessageParams struct {
	ChatID             any                 `json:"chat_id"`
	MessageThreadID    int                 `json:"message_thread_id,omitempty"`
	Text               string              `json:"text"`
	ParseMode          string              `json:"parse_mode,omitempty"`
	LinkPreviewOptions *linkPreviewOptions `json:"link_preview_options,omitempty"`
	ReplyParameters    *replyParameters    `json:"reply_parameters,omitempty"`
}

type editMessageTextParams struct {
	ChatID             any                 `json:"chat_id"`
	MessageID          int                 `json:"message_id"`
	Text               string              `json:"text"`
	ParseMode          string              `json:"parse_mode,omitempty"`
	LinkPreviewOptions *linkPreviewOptions `json:"link_preview_options,omitempty"`
}

type sentMessage struct {
	MessageID int `json:"message_id"`
}

// target is a destination resolved from a bot.Chat.
type target struct {
	chatID any    // int64, or "@username"
	key    string // the chat id as text, for pacing and logs
	thread int
}

func resolveTarget(chat bot.Chat) (target, error) {
	if chat.Platform != Platform {
		return target{}, fmt.Errorf("telegram: chat %s is not a Telegram chat", chat)
	}
	t := target{key: chat.ID}
	if id, err := strconv.ParseInt(chat.ID, 10, 64); err == nil && id != 0 {
		t.chatID = id
	} else if len(chat.ID) > 1 && chat.ID[0] == '@' {
		t.chatID = chat.ID
	} else {
		return target{}, fmt.Errorf("telegram: chat %s: id %q is not a Telegram chat id", chat, chat.ID)
	}
	if chat.Thread != "" {
		n, err := strconv.Atoi(chat.Thread)
		if err != nil || n <= 0 {
			return target{}, fmt.Errorf("telegram: chat %s: thread %q is not a forum topic id", chat, chat.Thread)
		}
		t.thread = n
	}
	return t, nil
}

func preview(link string) *linkPreviewOptions {
	if link == "" {
		return &linkPreviewOptions{IsDisabled: true}
	}
	return &linkPreviewOptions{URL: link}
}

// Send renders batch as HTML messages (up to 5 alerts each, split when they
// do not fit 4096 characters) and sends them to chat, pacing itself within
// Telegram's limits. On success Receipt.MessageIDs[i] is the message that
// carries batch[i]. When a batch needed several messages and a later one
// failed, the receipt is returned along with the error and lists the alerts
// already delivered (the others have ""), so that only those are retried.
func (a *Adapter) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	if len(batch) == 0 {
		return bot.Receipt{}, false, fmt.Errorf("telegram: send to %s: empty batch", chat)
	}
	t, err := resolveTarget(chat)
	if err != nil {
		return bot.Receipt{}, false, err
	}
	msgs, err := a.renderBatch(batch)
	if err != nil {
		return bot.Receipt{}, false, fmt.Errorf("telegram: send to %s: %w", chat, err)
	}
	receipt := bot.Receipt{MessageIDs: make([]string, len(batch))}
	for i, m := range msgs {
		id, retry, err := a.deliver(ctx, t, m)
		if err != nil {
			if i > 0 {
				a.log.WarnContext(ctx, "telegram batch partly delivered", "chat", chat.String(), "messages_sent", i, "messages", len(msgs))
				return receipt, retry, fmt.Errorf("telegram: send to %s (message %d of %d): %w", chat, i+1, len(msgs), err)
			}
			return bot.Receipt{}, retry, fmt.Errorf("telegram: send to %s: %w", chat, err)
		}
		for _, j := range m.alerts {
			receipt.MessageIDs[j] = id
		}
	}
	return receipt, false, nil
}

// deliver sends one rendered message, falling back to plain text once when
// Telegram cannot parse the HTML (a rendering bug, logged as such).
func (a *Adapter) deliver(ctx context.Context, t target, m outMessage) (string, bool, error) {
	p := sendMessageParams{ChatID: t.chatID, MessageThreadID: t.thread, Text: m.html, ParseMode: "HTML", LinkPreviewOptions: preview(m.preview)}
	var res sentMessage
	err := a.paced(ctx, t, "sendMessage", p, &res)
	if isParseError(err) {
		a.log.ErrorContext(ctx, "telegram could not parse rendered alert HTML; sending it as plain text", "chat_id", t.key, "err", err)
		p.Text, p.ParseMode = m.plain, ""
		err = a.paced(ctx, t, "sendMessage", p, &res)
	}
	if err != nil {
		retry, err := a.classify(t.key, err)
		return "", retry, err
	}
	return strconv.Itoa(res.MessageID), false, nil
}

// paced waits for the chat's and the bot's rate limits, then calls method.
func (a *Adapter) paced(ctx context.Context, t target, method string, params, out any) error {
	if err := a.pacer.wait(ctx, t.key); err != nil {
		return fmt.Errorf("telegram %s: wait for rate limit: %w", method, err)
	}
	return a.call(ctx, method, params, out)
}

// Notify sends text as plain text (split at line breaks when longer than
// Telegram's limit), with Send's pacing and error contract.
func (a *Adapter) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	t, err := resolveTarget(chat)
	if err != nil {
		return false, err
	}
	if text == "" {
		return false, fmt.Errorf("telegram: notify %s: empty text", chat)
	}
	for _, part := range splitText(text) {
		p := sendMessageParams{ChatID: t.chatID, MessageThreadID: t.thread, Text: part, LinkPreviewOptions: preview("")}
		if err := a.paced(ctx, t, "sendMessage", p, nil); err != nil {
			retry, err := a.classify(t.key, err)
			return retry, fmt.Errorf("telegram: notify %s: %w", chat, err)
		}
	}
	return false, nil
}

// Edit re-renders the alerts that share message messageID (batch, now with
// AlsoReportedBy) with editMessageText. An edit that changes nothing
// succeeds.
func (a *Adapter) Edit(ctx context.Context, chat bot.Chat, messageID string, batch []bot.Alert) (bool, error) {
	t, err := resolveTarget(chat)
	if err != nil {
		return false, err
	}
	id, err := strconv.Atoi(messageID)
	if err != nil || id <= 0 {
		return false, fmt.Errorf("telegram: edit in %s: message id %q is not a Telegram message id", chat, messageID)
	}
	if len(batch) == 0 {
		return false, fmt.Errorf("telegram: edit %s in %s: empty batch", messageID, chat)
	}
	m, err := a.renderOne(batch)
	if err != nil {
		return false, fmt.Errorf("telegram: edit %s in %s: %w", messageID, chat, err)
	}
	p := editMessageTextParams{ChatID: t.chatID, MessageID: id, Text: m.html, ParseMode: "HTML", LinkPreviewOptions: preview(m.preview)}
	err = a.paced(ctx, t, "editMessageText", p, nil)
	if isParseError(err) {
		a.log.ErrorContext(ctx, "telegram could not parse rendered alert HTML; editing as plain text", "chat_id", t.key, "err", err)
		p.Text, p.ParseMode = m.plain, ""
		err = a.paced(ctx, t, "editMessageText", p, nil)
	}
	if err == nil || isNotModified(err) {
		return false, nil
	}
	retry, err := a.classify(t.key, err)
	return retry, fmt.Errorf("telegram: edit %s in %s: %w", messageID, chat, err)
}
