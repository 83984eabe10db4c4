package telegramfake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// takeFailure pops the next injected failure for method, if any.
func (s *Server) takeFailure(method string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	q := s.failures[key]
	if len(q) == 0 {
		return Failure{}, false
	}
	f := q[0]
	if len(q) == 1 {
		delete(s.failures, key)
	} else {
		s.failures[key] = q[1:]
	}
	return f, true
}

// Fail makes the next n calls of method (any case) answer with f instead of
// being served. Failures queue: Fail("sendMessage", 1, a) then
// Fail("sendMessage", 2, b) answers a, b, b.
func (s *Server) Fail(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], f)
	}
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, call *Call, f Failure) {
	switch {
	case f.Hang:
		s.record(*call)
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	case f.Cut:
		s.record(*call)
		hj, ok := w.(http.Hijacker)
		if !ok {
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close() // cutting the connection is the point
		}
		return
	}
	e := &apiError{code: f.Code, description: f.Description, retryAfter: f.RetryAfter}
	if e.code == 0 {
		e.code = http.StatusInternalServerError
	}
	if e.code == http.StatusTooManyRequests && e.retryAfter <= 0 {
		e.retryAfter = 1
	}
	if e.description == "" {
		e.description = defaultDescription(e.code, e.retryAfter)
	}
	s.finish(w, call, nil, e)
}

func defaultDescription(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusInternalServerError:
		return "Internal Server Error"
	case http.StatusBadGateway:
		return "Bad Gateway"
	default:
		return http.StatusText(code)
	}
}

// Calls returns every answered request to method (any case), or every
// request when method is empty, oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns every accepted sendMessage and editMessageText, oldest first.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// WaitSent waits until at least n messages were accepted and returns them
// all; on ctx's end it returns what was sent so far and an error.
func (s *Server) WaitSent(ctx context.Context, n int) ([]Sent, error) {
	for {
		s.mu.Lock()
		got, ch := append([]Sent(nil), s.sent...), s.changed
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return got, fmt.Errorf("telegramfake: wait for %d sent messages, got %d: %w", n, len(got), ctx.Err())
		}
	}
}

// WaitCalls waits until method was answered at least n times and returns
// those calls; on ctx's end it returns what there is and an error.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) ([]Call, error) {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		got := s.Calls(method)
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return got, fmt.Errorf("telegramfake: wait for %d %s calls, got %d: %w", n, method, len(got), ctx.Err())
		}
	}
}

// Commands returns the command menu the bot set with setMyCommands.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand(nil), s.commands...)
}

// Webhook returns the webhook the bot set, or nil.
func (s *Server) Webhook() *WebhookInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return nil
	}
	info := s.webhook.info
	return &info
}
