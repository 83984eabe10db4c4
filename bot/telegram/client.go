package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pollMargin is how much longer than its long-poll timeout a getUpdates
// call may take before it counts as lost.
const pollMargin = 15 * time.Second

// maxResponse caps a Bot API answer; getUpdates with 100 updates stays far
// below it.
const maxResponse = 8 << 20

// APIError is a refusal from the Bot API: {"ok":false,"error_code":...}.
type APIError struct {
	Method      string
	Code        int
	Description string
	// RetryAfter is parameters.retry_after, for 429s.
	RetryAfter time.Duration
	// MigrateToChatID is parameters.migrate_to_chat_id, when a group became
	// a supergroup.
	MigrateToChatID int64
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// transportError is a call that got no answer. Written reports whether the
// request had been written to the connection, after which the Bot API may
// have acted on it.
type transportError struct {
	method  string
	written bool
	err     error
}

func (e *transportError) Error() string {
	stage := "before the request was sent"
	if e.written {
		stage = "after the request was sent"
	}
	return fmt.Sprintf("telegram %s: no answer (%s): %v", e.method, stage, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// badAnswerError is an answer that is not the Bot API's JSON.
type badAnswerError struct {
	method string
	status int
	err    error
}

func (e *badAnswerError) Error() string {
	return fmt.Sprintf("telegram %s: unreadable answer (HTTP %d): %v", e.method, e.status, e.err)
}

func (e *badAnswerError) Unwrap() error { return e.err }

// call posts params as JSON to method and decodes the result into out
// (which may be nil). It is bounded by ctx and the adapter's request timeout.
// Every error it returns has the token redacted.
func (a *Adapter) call(ctx context.Context, method string, params, out any) error {
	ctx, cancel := context.WithTimeout(ctx, a.reqTO)
	defer cancel()
	return a.note(a.token.Error(a.do(ctx, method, params, out)))
}

// note remembers whether the Bot API answered, for Ready: an API error
// (a 4xx or 5xx in Telegram's own shape) is an answer; a network failure
// is not.
func (a *Adapter) note(err error) error {
	var apiErr *APIError
	switch {
	case err == nil || errors.As(err, &apiErr):
		a.unreachable.Store(nil)
	case !errors.Is(err, context.Canceled):
		a.unreachable.Store(&err)
	}
	return err
}

// Ready reports, for /readyz, whether the last call reached the Bot API.
func (a *Adapter) Ready() error {
	if p := a.unreachable.Load(); p != nil {
		return fmt.Errorf("telegram Bot API unreachable: %w", *p)
	}
	return nil
}

// poll is call for getUpdates: its deadline is the long-poll timeout plus a
// margin for the network.
func (a *Adapter) poll(ctx context.Context, params, out any) error {
	ctx, cancel := context.WithTimeout(ctx, a.pollTO+pollMargin)
	defer cancel()
	return a.note(a.token.Error(a.do(ctx, "getUpdates", params, out)))
}

func (a *Adapter) do(ctx context.Context, method string, params, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("telegram %s: encode parameters: %w", method, err)
	}
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			written.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost,
		a.apiURL+"/bot"+a.token.Reveal()+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("telegram %s: build request: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return &transportError{method: method, written: written.Load(), err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return &transportError{method: method, written: true, err: fmt.Errorf("read answer: %w", err)}
	}
	if len(data) > maxResponse {
		return &badAnswerError{method: method, status: resp.StatusCode, err: errors.New("answer larger than 8 MiB")}
	}
	var r tgbotapi.APIResponse
	if err := json.Unmarshal(data, &r); err != nil || (!r.Ok && r.ErrorCode == 0 && r.Description == "") {
		if err == nil {
			err = errors.New("no ok, result or error in the answer")
		}
		if resp.StatusCode >= 500 {
			// A proxy's error page: the Bot API did not handle the call.
			return &APIError{Method: method, Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
		}
		return &badAnswerError{method: method, status: resp.StatusCode, err: err}
	}
	if !r.Ok {
		e := &APIError{Method: method, Code: r.ErrorCode, Description: r.Description}
		if e.Code == 0 {
			e.Code = resp.StatusCode
		}
		if p := r.Parameters; p != nil {
			e.RetryAfter = time.Duration(p.RetryAfter) * time.Second
			e.MigrateToChatID = p.MigrateToChatID
		}
		return e
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			return &badAnswerError{method: method, status: resp.StatusCode, err: fmt.Errorf("decode result: %w", err)}
		}
	}
	return nil
}

// download fetches a file from the Bot API's file server, reading at most
// limit bytes; a larger file is an error.
func (a *Adapter) download(ctx context.Context, filePath string, limit int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, a.reqTO)
	defer cancel()
	data, err := a.fetchFile(ctx, filePath, limit)
	return data, a.token.Error(err)
}

func (a *Adapter) fetchFile(ctx context.Context, filePath string, limit int64) ([]byte, error) {
	if strings.Contains(filePath, "..") {
		return nil, fmt.Errorf("telegram download: suspicious file path %q", filePath)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.apiURL+"/file/bot"+a.token.Reveal()+"/"+filePath, nil)
	if err != nil {
		return nil, fmt.Errorf("telegram download %q: %w", filePath, err)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram download %q: %w", filePath, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram download %q: HTTP %d", filePath, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("telegram download %q: %w", filePath, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("telegram download %q: %w", filePath, errFileTooLarge)
	}
	return data, nil
}

var errFileTooLarge = errors.New("file too large")
