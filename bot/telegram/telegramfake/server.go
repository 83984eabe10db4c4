// Package telegramfake is an in-process fake of the Telegram Bot API for
// tests: an httptest server that checks every request against the Bot API
// specification (methods, required parameters, types), parses HTML like
// Telegram, enforces Telegram's message length and rate limits with the real
// error answers, serves getUpdates long polling and webhooks from injected
// updates, and records what the bot sent.
//
// The fake follows the real API where the two could differ: unknown methods
// answer 404 "Not Found", a wrong token 401 "Unauthorized", and every other
// refusal a 400 "Bad Request: ..." (403 "Forbidden: ..." for chats the bot may
// not write to, 409 "Conflict: ..." for overlapping getUpdates, 429 with
// parameters.retry_after when a limit is hit), all in the Bot API's
// {"ok":false,"error_code":N,"description":"..."} shape. Deviations: setWebhook
// accepts plain http:// URLs (tests cannot serve TLS on port 443), the
// Markdown parse modes are refused, only sendMessage counts against the rate
// limits (Telegram does not publish limits for edits), and methods other than
// the ones the bot uses answer 400 "Bad Request: method X is not implemented
// by telegramfake".
package telegramfake

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server. The zero value is a bot with a random token,
// the username "newsalert_test_bot" and Telegram's published rate limits.
type Options struct {
	// Token is the bot token the server accepts ("<bot id>:<secret>"). Empty
	// means a random one.
	Token string
	// BotUsername is the bot's @username without "@".
	BotUsername string
	// BotName is the bot's first name.
	BotName string
	// NoRateLimits turns the per-chat and global message limits off.
	NoRateLimits bool
	// Now is the clock for message dates and rate limits (default time.Now).
	Now func() time.Time
}

// Server is a fake Bot API. It is safe for concurrent use. Its exported
// fields are read-only.
type Server struct {
	// Token is the bot token, to pass to the adapter.
	Token string
	// BotID is the bot's user id (the token's prefix).
	BotID int64
	// BotUsername is the bot's @username without "@".
	BotUsername string

	tb   testing.TB
	srv  *httptest.Server
	spec *spec
	now  func() time.Time
	bot  User
	done chan struct{} // closed by Close: every waiting handler returns

	wg sync.WaitGroup // webhook delivery

	mu           sync.Mutex
	closed       bool
	changed      chan struct{} // closed and replaced on every recorded change
	chats        map[int64]*chatState
	usernames    map[string]int64 // lower-case username -> chat id
	users        map[int64]User
	nextUpdateID int
	updates      []Update // not yet confirmed
	poll         *pollWaiter
	overlaps     int // getUpdates calls that found another one waiting
	webhook      *webhookState
	deliveries   []WebhookDelivery
	commands     []BotCommand
	files        map[string]fileEntry
	nextFile     int
	calls        []Call
	sent         []Sent
	failures     map[string][]Failure // by lower-case method
	limits       *limiter
}

type chatState struct {
	chat     Chat
	members  map[int64]string
	messages map[int]*Message
	byBot    map[int]bool // messages the bot sent (it may edit only these)
	nextMsg  int
	topics   map[int]bool
	// migratedTo is the supergroup a group became; the group refuses
	// messages with parameters.migrate_to_chat_id.
	migratedTo int64
}

type fileEntry struct {
	id, uniqueID, path string
	data               []byte
}

// New starts a fake Bot API server; it is closed when tb's test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "newsalert_test_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "Newsalert"
	}
	if opts.Token == "" {
		opts.Token = randomToken(tb)
	}
	idPart, _, _ := strings.Cut(opts.Token, ":")
	botID, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || botID <= 0 {
		tb.Fatalf("telegramfake: token %q does not start with a bot id", opts.Token)
	}
	s := &Server{
		Token:        opts.Token,
		BotID:        botID,
		BotUsername:  opts.BotUsername,
		tb:           tb,
		spec:         newSpec(),
		now:          opts.Now,
		bot:          User{ID: botID, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername},
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		chats:        map[int64]*chatState{},
		usernames:    map[string]int64{},
		users:        map[int64]User{},
		nextUpdateID: 100000,
		files:        map[string]fileEntry{},
		failures:     map[string][]Failure{},
	}
	if !opts.NoRateLimits {
		s.limits = newLimiter()
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(s.Close)
	return s
}

func randomToken(tb testing.TB) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	id, err := rand.Int(rand.Reader, big.NewInt(7_000_000_000))
	if err != nil {
		tb.Fatalf("telegramfake: random token: %v", err)
	}
	b := make([]byte, 35)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			tb.Fatalf("telegramfake: random token: %v", err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return strconv.FormatInt(1_000_000_000+id.Int64(), 10) + ":AA" + string(b)
}

// URL is the server's base URL, to pass as the adapter's API URL; methods
// are served at URL()/bot<token>/<method> and files at
// URL()/file/bot<token>/<file_path>.
func (s *Server) URL() string { return s.srv.URL }

// Bot returns the bot's own user.
func (s *Server) Bot() User { return s.bot }

// Close stops the server: pending long polls and hanging requests return,
// webhook delivery stops. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	if s.webhook != nil {
		s.webhook.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notifyLocked wakes everything waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// apiError is a refusal in the Bot API's shape.
type apiError struct {
	code        int
	description string
	retryAfter  int
	migrateTo   int64 // parameters.migrate_to_chat_id
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client hanging up is not the fake's concern
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.description}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	if e.migrateTo != 0 {
		body["parameters"] = map[string]any{"migrate_to_chat_id": e.migrateTo}
	}
	writeJSON(w, e.code, body)
}

const maxRequestBody = 10 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, methodName, found := strings.Cut(rest, "/")
	if !ok || !found {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	if token != s.Token {
		writeError(w, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	m, ok := s.spec.method(methodName)
	if !ok {
		writeError(w, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	raw, perr := readParams(r)
	call := Call{Method: m.Name, At: s.now()}
	if perr != nil {
		s.finish(w, &call, nil, perr)
		return
	}
	if f, ok := s.takeFailure(m.Name); ok {
		call.Params = raw
		s.fail(w, r, &call, f)
		return
	}
	params, err := s.spec.checkParams(m, raw)
	if err != nil {
		call.Params = raw
		s.finish(w, &call, nil, badRequestFrom(err))
		return
	}
	call.Params = params
	result, apiErr := s.dispatch(r, m.Name, params)
	if apiErr == nil {
		if err := s.checkResult(m, result); err != nil {
			apiErr = &apiError{code: http.StatusInternalServerError, description: "telegramfake bug: result does not match the spec: " + err.Error()}
		}
	}
	s.finish(w, &call, result, apiErr)
}

func badRequestFrom(err error) *apiError {
	if pe, ok := err.(*paramError); ok {
		return &apiError{code: http.StatusBadRequest, description: pe.description}
	}
	return badRequest("%v", err)
}

// checkResult validates a result against the method's return types after a
// JSON round trip, as a client would see it.
func (s *Server) checkResult(m specObject, result any) error {
	raw, err := json.Marshal(result)
	if err != nil {
		return err
	}
	var v any
	if err := decodeJSON(string(raw), &v); err != nil {
		return err
	}
	return s.spec.checkValue(m.Returns, v)
}

func (s *Server) finish(w http.ResponseWriter, call *Call, result any, apiErr *apiError) {
	if apiErr != nil {
		call.Status, call.Description = apiErr.code, apiErr.description
		s.record(*call)
		writeError(w, apiErr)
		return
	}
	call.Status = http.StatusOK
	s.record(*call)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
	s.mu.Unlock()
}

// readParams merges the query string and the body (JSON, form or multipart)
// into one parameter map, as the Bot API accepts all of them.
func readParams(r *http.Request) (map[string]any, *apiError) {
	params := map[string]any{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	if r.Body == nil {
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return nil, badRequest("can't read request body: %v", err)
	}
	if len(body) > maxRequestBody {
		return nil, &apiError{code: http.StatusRequestEntityTooLarge, description: "Request Entity Too Large"}
	}
	if len(body) == 0 {
		return params, nil
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var obj map[string]any
		if err := decodeJSON(string(body), &obj); err != nil {
			return nil, badRequest("can't parse JSON object: %v", err)
		}
		for k, v := range obj {
			params[k] = v
		}
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, badRequest("can't parse form: %v", err)
		}
		for k, v := range vals {
			params[k] = v[0]
		}
	case "multipart/form-data":
		if err := readMultipart(body, ctParams["boundary"], params); err != nil {
			return nil, badRequest("can't parse multipart form: %v", err)
		}
	default:
		return nil, badRequest("unsupported Content-Type %q", r.Header.Get("Content-Type"))
	}
	return params, nil
}
