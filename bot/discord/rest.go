package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

const (
	apiBase         = "https://discord.com/api/v10"
	userAgent       = "DiscordBot (https://github.com/newsalert/newsalert, 1.0)"
	maxResponseBody = 1 << 20
)

// APIError is an error answer from Discord's HTTP API.
type APIError struct {
	Method  string // HTTP method
	Route   string // path template, e.g. /channels/{channel_id}/messages
	Status  int    // HTTP status
	Code    int    // Discord's JSON error code (50001, 10003, ...); 0 when absent
	Message string // Discord's message
	Errors  string // the "errors" tree of a 50035 Invalid Form Body, as JSON
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("discord %s %s: status %d", e.Method, e.Route, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Code != 0 {
		s += " (code " + strconv.Itoa(e.Code) + ")"
	}
	if e.Errors != "" {
		errs := e.Errors
		if len(errs) > 400 {
			errs = errs[:400] + "..."
		}
		s += " " + errs
	}
	return s
}

// Discord JSON error codes the adapter acts on.
const (
	codeUnknownChannel     = 10003
	codeUnknownMessage     = 10008
	codeUnknownWebhook     = 10015
	codeUnknownInteraction = 10062
	codeMissingAccess      = 50001
	codeCannotSendToUser   = 50007
	codeNonTextChannel     = 50008
	codeMissingPermissions = 50013
	codeInvalidWebhookTok  = 50027
)

// errNotSent marks failures where the request never fully reached Discord,
// so sending it again cannot duplicate anything.
var errNotSent = errors.New("request not sent")

// request is one call to the HTTP API.
type request struct {
	method string
	route  string // path template, for buckets, logs and errors
	major  string // the route's major parameter (channel, guild, webhook id)
	path   string // real path below /api/v10
	query  url.Values
	body   any
	// file, when set, is uploaded with body as multipart/form-data
	// (payload_json and files[0]).
	file *bot.Attachment
	// auth sends the bot token; webhook and interaction routes do not need it.
	auth bool
	// exemptGlobal: interaction callbacks and followups are not counted
	// against the global limit.
	exemptGlobal bool
	// hidden is a secret in the path (a webhook or interaction token) that
	// errors and logs must never show.
	hidden secret.String
}

func (r *request) idempotent() bool { return r.method != http.MethodPost }

// restClient is a context-aware client for Discord's HTTP API: it paces
// requests by Discord's rate-limit headers, retries 429s a bounded number of
// times and never retries a POST whose outcome is unknown.
type restClient struct {
	http  *http.Client
	token secret.String
	pacer *pacer
	log   *slog.Logger
	// backoff is the first wait after a 429 without retry_after or a 5xx on
	// an idempotent request; it doubles each time.
	backoff time.Duration
	// maxInlineWait is the longest 429 wait done inside a call; longer ones
	// are returned as *bot.RetryAfterError.
	maxInlineWait time.Duration
	max429Retries int
	max5xxRetries int
}

// do sends r and decodes a 2xx JSON answer into out (when out is not nil).
func (c *restClient) do(ctx context.Context, r *request, out any) error {
	err := c.doInner(ctx, r, out)
	if err == nil {
		return nil
	}
	return r.hidden.Error(c.token.Error(err))
}

func (c *restClient) doInner(ctx context.Context, r *request, out any) error {
	var payload []byte
	contentType := "application/json"
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return fmt.Errorf("encode discord %s %s body: %w", r.method, r.route, err)
		}
		payload = b
	}
	if r.file != nil {
		b, ct, err := multipartBody(payload, r.file)
		if err != nil {
			return fmt.Errorf("encode discord %s %s upload: %w", r.method, r.route, err)
		}
		payload, contentType = b, ct
	}
	n429, n5xx := 0, 0
	for {
		if blocked, wait := c.pacer.blocked(); blocked {
			return &bot.RetryAfterError{After: wait, Global: true,
				Err: fmt.Errorf("discord %s %s: %w: too many invalid requests (401/403/429) in the last 10 minutes", r.method, r.route, errNotSent)}
		}
		b := c.pacer.bucketFor(r.method+" "+r.route, r.major)
		if err := c.pacer.acquire(ctx, b, r.exemptGlobal); err != nil {
			return fmt.Errorf("discord %s %s: %w: %w", r.method, r.route, errNotSent, err)
		}
		resp, body, written, err := c.roundTrip(ctx, r, payload, contentType)
		if err != nil {
			c.pacer.release(b, r.method+" "+r.route, nil, 0, false)
			if written && !r.idempotent() {
				return fmt.Errorf("discord %s %s: %w: %w", r.method, r.route, bot.ErrOutcomeUnknown, err)
			}
			if written {
				return fmt.Errorf("discord %s %s: %w", r.method, r.route, err)
			}
			return fmt.Errorf("discord %s %s: %w: %w", r.method, r.route, errNotSent, err)
		}
		apiErr := parseAPIError(r, resp.StatusCode, body)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			after, global, scope, known := retryAfter(resp.Header, body)
			if !known {
				after = c.backoffFor(n429)
			}
			c.pacer.release(b, r.method+" "+r.route, resp.Header, after, global)
			if scope != "shared" && c.pacer.noteInvalid() {
				c.log.Error("discord: too many invalid requests, refusing further requests for now",
					"threshold", invalidThreshold, "window", invalidWindow.String())
			}
			c.log.Warn("discord: rate limited", "route", r.method+" "+r.route, "retry_after", after.String(),
				"global", global, "scope", scope, "attempt", n429+1)
			deadline, hasDeadline := ctx.Deadline()
			if n429 >= c.max429Retries || after > c.maxInlineWait || (hasDeadline && time.Until(deadline) < after) {
				return &bot.RetryAfterError{After: after, Global: global, Err: apiErr}
			}
			n429++
			continue
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			c.pacer.release(b, r.method+" "+r.route, resp.Header, 0, false)
			if out != nil && resp.StatusCode != http.StatusNoContent && len(body) > 0 {
				if err := json.Unmarshal(body, out); err != nil {
					if !r.idempotent() {
						return fmt.Errorf("decode discord %s %s answer: %w: %w", r.method, r.route, bot.ErrOutcomeUnknown, err)
					}
					return fmt.Errorf("decode discord %s %s answer: %w", r.method, r.route, err)
				}
			}
			return nil
		case resp.StatusCode >= 500:
			c.pacer.release(b, r.method+" "+r.route, resp.Header, 0, false)
			if !r.idempotent() {
				// A 502 from Discord's edge may come after the message was
				// created: only the caller's records can tell.
				return fmt.Errorf("%w: %w", bot.ErrOutcomeUnknown, apiErr)
			}
			if n5xx >= c.max5xxRetries {
				return apiErr
			}
			if err := sleep(ctx, c.backoffFor(n5xx)); err != nil {
				return fmt.Errorf("%w: %w", apiErr, err)
			}
			n5xx++
			continue
		default:
			c.pacer.release(b, r.method+" "+r.route, resp.Header, 0, false)
			if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
				if c.pacer.noteInvalid() {
					c.log.Error("discord: too many invalid requests, refusing further requests for now",
						"threshold", invalidThreshold, "window", invalidWindow.String())
				}
			}
			return apiErr
		}
	}
}

// backoffFor is the wait before retry n (0-based): backoff·2ⁿ, ±20 %.
func (c *restClient) backoffFor(n int) time.Duration {
	d := c.backoff << min(n, 6)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// roundTrip sends one request. written reports whether the whole request
// reached the connection, after which its outcome is unknown on failure.
func (c *restClient) roundTrip(ctx context.Context, r *request, payload []byte, contentType string) (*http.Response, []byte, bool, error) {
	u := apiBase + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			written.Store(true)
		}
	}}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.method, u, body)
	if err != nil {
		return nil, nil, false, fmt.Errorf("build request: %w", err)
	}
	if payload != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", userAgent)
	if r.auth {
		req.Header.Set("Authorization", "Bot "+c.token.Reveal())
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, written.Load(), stripURL(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return nil, nil, true, fmt.Errorf("read answer (status %d): %w", resp.StatusCode, stripURL(err))
	}
	return resp, b, true, nil
}

// multipartBody encodes a message with one file the way Discord takes
// uploads: the JSON as payload_json, the file as files[0].
func multipartBody(payloadJSON []byte, f *bot.Attachment) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if payloadJSON != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="payload_json"`)
		h.Set("Content-Type", "application/json")
		w, err := mw.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := w.Write(payloadJSON); err != nil {
			return nil, "", err
		}
	}
	w, err := mw.CreateFormFile("files[0]", f.Name)
	if err != nil {
		return nil, "", err
	}
	if _, err := w.Write(f.Data); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// stripURL drops the URL from *url.Error: it can hold webhook or
// interaction tokens and says nothing the route template does not.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

func parseAPIError(r *request, status int, body []byte) *APIError {
	e := &APIError{Method: r.method, Route: r.route, Status: status}
	var v struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Errors  json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &v) == nil {
		e.Code, e.Message = v.Code, v.Message
		if len(v.Errors) > 0 && string(v.Errors) != "null" {
			e.Errors = string(v.Errors)
		}
	} else {
		e.Message = http.StatusText(status)
	}
	return e
}

// retryAfter reads a 429: the body's retry_after (seconds, fractional) or
// the Retry-After header, whether the limit is global, and its scope.
func retryAfter(h http.Header, body []byte) (after time.Duration, global bool, scope string, known bool) {
	var v struct {
		RetryAfter *float64 `json:"retry_after"`
		Global     bool     `json:"global"`
	}
	_ = json.Unmarshal(body, &v)
	global = v.Global || strings.EqualFold(h.Get("X-RateLimit-Global"), "true")
	scope = h.Get("X-RateLimit-Scope")
	if v.RetryAfter != nil && *v.RetryAfter > 0 {
		return time.Duration(*v.RetryAfter * float64(time.Second)), global, scope, true
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second)), global, scope, true
	}
	if s, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second)), global, scope, true
	}
	return 0, global, scope, false
}

// classify turns a send error into the Sender contract's (retry, err).
func classify(err error, gone func(*APIError) bool) (bool, error) {
	if err == nil {
		return false, nil
	}
	var ra *bot.RetryAfterError
	if errors.As(err, &ra) {
		return true, err
	}
	if errors.Is(err, bot.ErrOutcomeUnknown) || errors.Is(err, errNotSent) {
		return true, err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if gone(apiErr) {
			return false, fmt.Errorf("%w: %w", bot.ErrChatGone, err)
		}
		switch {
		case apiErr.Status >= 500, apiErr.Status == http.StatusUnauthorized:
			return true, err
		default:
			return false, err
		}
	}
	// Transport failures of idempotent requests: safe to try again.
	return true, err
}

// channelGone reports the answers that mean the bot cannot post in a
// channel any more.
func channelGone(e *APIError) bool {
	switch e.Code {
	case codeMissingAccess, codeMissingPermissions, codeUnknownChannel, codeCannotSendToUser, codeNonTextChannel:
		return true
	}
	return false
}

// webhookGone reports the answers that mean a webhook was deleted or its
// token revoked.
func webhookGone(e *APIError) bool {
	switch e.Code {
	case codeUnknownWebhook, codeInvalidWebhookTok, codeUnknownChannel, codeMissingAccess:
		return true
	}
	return false
}
