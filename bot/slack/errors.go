package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// call runs one Web API call of method, paced, and notes a 429's
// Retry-After for that method (and channel).
func (a *Adapter) call(ctx context.Context, method, channel string, do func(context.Context) error) error {
	if err := a.pace.wait(ctx, method, channel); err != nil {
		return err
	}
	err := do(ctx)
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		a.pace.retryAfter(method, channel, max(rl.RetryAfter, time.Second))
	}
	if isAuthError(err) && method != "auth.test" {
		a.stop(tokenRefused(err))
	}
	return err
}

// slackCode is the error code of an ok:false answer, or "".
func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}

// isAuthError reports a refused token: the adapter cannot go on.
func isAuthError(err error) bool {
	switch slackCode(err) {
	case "invalid_auth", "not_authed", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

// chatGone are the answers that mean the channel no longer takes the bot's
// messages: its delivery is deactivated until it is reachable again.
func chatGone(code string) bool {
	switch code {
	case "channel_not_found", "not_in_channel", "is_archived", "account_inactive":
		return true
	}
	return false
}

// classify maps a Web API error onto the Sender contract: whether the same
// request may be retried and which bot error it wraps. Errors keep no token
// (slack-go's messages carry codes and status lines, and url.Error's URL
// is the method URL, which holds no token).
func classify(ctx context.Context, err error) (bool, error) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return true, &bot.RetryAfterError{After: max(rl.RetryAfter, time.Second), Err: err}
	}
	code := slackCode(err)
	switch {
	case chatGone(code):
		return false, fmt.Errorf("%s: %w", code, bot.ErrChatGone)
	case isAuthError(err):
		return true, tokenRefused(err)
	case code == "ratelimited" || code == "rate_limited":
		return true, &bot.RetryAfterError{After: 30 * time.Second, Err: err}
	case code == "internal_error" || code == "fatal_error" || code == "service_unavailable" || code == "request_timeout":
		return true, fmt.Errorf("%s: %w", code, bot.ErrOutcomeUnknown)
	case code != "":
		return false, fmt.Errorf("slack refused: %s", code) // our request is wrong: do not resend it
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		if sc.Code >= 500 {
			return true, fmt.Errorf("http %d: %w", sc.Code, bot.ErrOutcomeUnknown)
		}
		return sc.Code == 408, fmt.Errorf("http %d", sc.Code)
	}
	if ctx.Err() != nil {
		return true, ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true, fmt.Errorf("%s: %w", ue.Err, bot.ErrOutcomeUnknown)
	}
	return true, fmt.Errorf("%v: %w", err, bot.ErrOutcomeUnknown)
}
