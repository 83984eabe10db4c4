package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/newsalert/newsalert/bot"
)

// goneDescriptions are Bot API refusals meaning the chat no longer takes the
// bot's messages (lower case, matched as substrings).
func goneDescriptions() []string {
	return []string{
		"chat not found",
		"have no rights to send",
		"not enough rights to send",
		"need administrator rights",
		"chat_write_forbidden",
		"bot was blocked",
		"bot was kicked",
		"bot is not a member",
		"user is deactivated",
		"bot can't initiate conversation",
		"group chat was upgraded to a supergroup",
		"peer_id_invalid",
		"message thread not found",
		"topic_deleted",
		"topic_closed",
	}
}

func isParseError(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(e.Description), "can't parse entities")
}

func isNotModified(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(e.Description), "message is not modified")
}

// classify turns a failed send to chatID into the Sender contract's (retry,
// err): 429 -> *bot.RetryAfterError (and the pacer holds the chat or the
// bot); 5xx, unauthorised and unsent requests -> retry; requests that may
// have been delivered -> bot.ErrOutcomeUnknown; chats that refuse the bot ->
// bot.ErrChatGone; other refusals -> no retry.
func (a *Adapter) classify(chatID string, err error) (bool, error) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		desc := strings.ToLower(apiErr.Description)
		switch {
		case apiErr.Code == http.StatusTooManyRequests:
			after := apiErr.RetryAfter
			if after <= 0 {
				after = defaultRetryAfter
			}
			global := a.pacer.limited(chatID, after)
			return true, &bot.RetryAfterError{After: after, Global: global, Err: err}
		case apiErr.Code >= 500, apiErr.Code == http.StatusUnauthorized, apiErr.Code == http.StatusNotFound:
			// The Bot API failed or the bot is misconfigured: the alert is
			// still good.
			return true, err
		case apiErr.Code == http.StatusForbidden:
			return false, fmt.Errorf("%w: %w", bot.ErrChatGone, err)
		case apiErr.Code == http.StatusBadRequest && apiErr.MigrateToChatID != 0:
			// The group became a supergroup: the same alert goes to its new id.
			return true, &bot.ChatMovedError{To: chatOf(apiErr.MigrateToChatID), Err: err}
		case apiErr.Code == http.StatusBadRequest:
			for _, d := range goneDescriptions() {
				if strings.Contains(desc, d) {
					return false, fmt.Errorf("%w: %w", bot.ErrChatGone, err)
				}
			}
			return false, err
		default:
			return false, err
		}
	}
	var tErr *transportError
	if errors.As(err, &tErr) {
		if tErr.written {
			return true, fmt.Errorf("%w: %w", bot.ErrOutcomeUnknown, err)
		}
		return true, err
	}
	var bErr *badAnswerError
	if errors.As(err, &bErr) {
		// Something answered; whether the message went out is unknown.
		return true, fmt.Errorf("%w: %w", bot.ErrOutcomeUnknown, err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true, err // waiting for a token; nothing was sent
	}
	return false, err
}
