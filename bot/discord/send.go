package discord

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/webhookurl"
	"github.com/newsalert/newsalert/internal/secret"
)

// checkChat accepts Discord chats whose id is a snowflake (a channel, thread
// or DM channel id); anything else would address another API route.
func checkChat(chat bot.Chat) error {
	if chat.Platform != Platform {
		return fmt.Errorf("discord: chat %s is not a discord chat", chat)
	}
	if !isSnowflake(chat.ID) {
		return fmt.Errorf("discord: chat %s: channel id is not a snowflake", chat)
	}
	return nil
}

type messageRef struct {
	ID string `json:"id"`
}

// Send posts batch to the channel (or thread) chat.ID as embeds, several
// alerts per message (at most 10 embeds and 6000 characters a message,
// split in order when over). Each message carries a nonce derived from the
// chat and its stories with enforce_nonce, so that a message posted again
// after an unknown outcome returns the first one instead of a duplicate.
// MessageIDs[i] is the message that carries batch[i].
func (a *Adapter) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	if err := checkChat(chat); err != nil {
		return bot.Receipt{}, false, err
	}
	if len(batch) == 0 {
		return bot.Receipt{}, false, nil
	}
	embeds := make([]embed, len(batch))
	for i, al := range batch {
		embeds[i] = renderAlert(al, fullBudgets())
	}
	ids := make([]string, len(batch))
	for _, group := range packEmbeds(embeds) {
		keys := make([]string, len(group))
		msg := &messagePayload{AllowedMentions: noMentions(), EnforceNonce: true}
		for k, i := range group {
			msg.Embeds = append(msg.Embeds, embeds[i])
			keys[k] = alertKey(batch[i])
		}
		msg.Nonce = nonceFor(chat.ID, keys)
		var ref messageRef
		if err := a.rest.do(ctx, a.createMessage(chat.ID, msg), &ref); err != nil {
			retry, err := classify(err, channelGone)
			return bot.Receipt{}, retry, fmt.Errorf("discord: send %d alerts to %s: %w", len(batch), chat, err)
		}
		for _, i := range group {
			ids[i] = ref.ID
		}
	}
	return bot.Receipt{MessageIDs: ids}, false, nil
}

func (a *Adapter) createMessage(channelID string, msg *messagePayload) *request {
	return &request{method: http.MethodPost, route: "/channels/{channel_id}/messages", major: channelID,
		path: "/channels/" + channelID + "/messages", body: msg, auth: true}
}

// Notify posts text as plain message content, escaped, in messages of at
// most 2000 characters, pinging no one.
func (a *Adapter) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	if err := checkChat(chat); err != nil {
		return false, err
	}
	parts := replyContent(text)
	for i, p := range parts {
		msg := &messagePayload{Content: p, AllowedMentions: noMentions(), EnforceNonce: true,
			Nonce: nonceFor(chat.ID, []string{"notice", fmt.Sprint(i), p})}
		if err := a.rest.do(ctx, a.createMessage(chat.ID, msg), nil); err != nil {
			retry, err := classify(err, channelGone)
			return retry, fmt.Errorf("discord: notify %s: %w", chat, err)
		}
	}
	return false, nil
}

// Edit re-renders the alerts a message carries (with their
// AlsoReportedBy line) and replaces the message's embeds. batch must be
// the alerts of that message; they are fitted into one message.
func (a *Adapter) Edit(ctx context.Context, chat bot.Chat, messageID string, batch []bot.Alert) (bool, error) {
	if err := checkChat(chat); err != nil {
		return false, err
	}
	if !isSnowflake(messageID) {
		return false, fmt.Errorf("discord: edit in %s: message id %q is not a snowflake", chat, messageID)
	}
	if len(batch) == 0 {
		return false, fmt.Errorf("discord: edit %s in %s: no alerts", messageID, chat)
	}
	msg := &messagePayload{Embeds: renderOneMessage(batch), AllowedMentions: noMentions()}
	err := a.rest.do(ctx, &request{method: http.MethodPatch, route: "/channels/{channel_id}/messages/{message_id}",
		major: chat.ID, path: "/channels/" + chat.ID + "/messages/" + messageID, body: msg, auth: true}, nil)
	if err != nil {
		retry, err := classify(err, channelGone)
		return retry, fmt.Errorf("discord: edit %s in %s: %w", messageID, chat, err)
	}
	return false, nil
}

// SendWebhook posts batch through an incoming webhook
// (https://discord.com/api/webhooks/ID/TOKEN), rendered as Send renders it.
// The URL is a secret: it never appears in errors or logs. Errors follow
// the Sender contract; a deleted webhook wraps bot.ErrChatGone. Webhooks
// take no nonce, so a resend after bot.ErrOutcomeUnknown may duplicate.
func (a *Adapter) SendWebhook(ctx context.Context, webhookURL secret.String, batch []bot.Alert) (bot.Receipt, bool, error) {
	id, tok, err := parseWebhookURL(webhookURL.Reveal())
	if err != nil {
		return bot.Receipt{}, false, fmt.Errorf("discord: webhook url: %w", webhookURL.Error(err))
	}
	if len(batch) == 0 {
		return bot.Receipt{}, false, nil
	}
	hidden := secret.New(tok)
	embeds := make([]embed, len(batch))
	for i, al := range batch {
		embeds[i] = renderAlert(al, fullBudgets())
	}
	ids := make([]string, len(batch))
	for _, group := range packEmbeds(embeds) {
		msg := &messagePayload{AllowedMentions: noMentions()}
		for _, i := range group {
			msg.Embeds = append(msg.Embeds, embeds[i])
		}
		var ref messageRef
		err := a.rest.do(ctx, &request{method: http.MethodPost, route: "/webhooks/{webhook_id}/{webhook_token}",
			major: id, path: "/webhooks/" + id + "/" + tok, query: url.Values{"wait": {"true"}},
			body: msg, hidden: hidden}, &ref)
		if err != nil {
			retry, err := classify(err, webhookGone)
			return bot.Receipt{}, retry, fmt.Errorf("discord: send %d alerts by webhook %s: %w", len(batch), id, webhookURL.Error(err))
		}
		for _, i := range group {
			ids[i] = ref.ID
		}
	}
	return bot.Receipt{MessageIDs: ids}, false, nil
}

// parseWebhookURL reads https://discord.com/api[/vN]/webhooks/ID/TOKEN
// with the parser the /webhook command validates with.
func parseWebhookURL(raw string) (id, token string, err error) {
	return webhookurl.Parse(raw)
}

func validWebhookToken(t string) bool {
	if t == "" || len(t) > 200 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
