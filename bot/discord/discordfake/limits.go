package discordfake

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a failure the fake can answer with instead of doing the work.
type FaultKind int

// Kinds of injected failure.
const (
	// Fault429 answers 429 with X-RateLimit-* and Retry-After headers and a
	// body with retry_after, as Discord does.
	Fault429 FaultKind = iota + 1
	// Fault429BodyOnly answers 429 with retry_after in the body but no
	// rate-limit or Retry-After headers.
	Fault429BodyOnly
	// Fault429Bare answers 429 with neither headers nor retry_after: a
	// client must back off on its own.
	Fault429Bare
	// Fault429Global answers a global 429 (X-RateLimit-Global, "global": true).
	Fault429Global
	// Fault502 answers 502 Bad Gateway without doing the work.
	Fault502
	// Fault502AfterWork does the work (creates the message) and then
	// answers 502, as when Discord's edge loses the answer.
	Fault502AfterWork
	// Fault500 answers 500 Internal Server Error without doing the work.
	Fault500
	// FaultUnauthorized answers 401 Unauthorized.
	FaultUnauthorized
	// FaultMissingAccess answers 403 with code 50001 Missing Access.
	FaultMissingAccess
	// FaultMissingPermissions answers 403 with code 50013 Missing Permissions.
	FaultMissingPermissions
	// FaultUnknownChannel answers 404 with code 10003 Unknown Channel.
	FaultUnknownChannel
	// FaultHang reads the request and never answers, until the client gives
	// up or the fake is closed.
	FaultHang
	// FaultCut reads the request and closes the connection without answering.
	FaultCut
)

// Fault is an injected failure for the next Times requests to a route.
type Fault struct {
	Kind FaultKind
	// Times is how many requests get the fault; default 1.
	Times int
	// RetryAfter is the retry_after of 429 faults; default 1 s.
	RetryAfter time.Duration
	// Major restricts the fault to one channel, guild, webhook or
	// application id; empty matches every request to the route.
	Major string
}

type faultRule struct {
	route string
	Fault
}

// Inject makes the next f.Times requests to route (a Route* constant) fail
// as f says. Faults are used in the order they were injected.
func (s *Server) Inject(route string, f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.RetryAfter <= 0 {
		f.RetryAfter = time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{route: route, Fault: f})
}

// takeFault returns and consumes the first fault matching the request.
func (s *Server) takeFault(route, major string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.route != route || (f.Major != "" && f.Major != major) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// PendingFaults counts injected faults not yet used.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.Times
	}
	return n
}

// answerFault writes the fault's answer. It reports false for
// Fault502AfterWork, whose answer is written after the work is done.
func (s *Server) answerFault(w http.ResponseWriter, r *http.Request, f Fault, bucket string) bool {
	switch f.Kind {
	case Fault429:
		s.write429(w, f.RetryAfter, false, true, true, bucket)
	case Fault429BodyOnly:
		s.write429(w, f.RetryAfter, false, false, true, bucket)
	case Fault429Bare:
		s.write429(w, 0, false, false, false, bucket)
	case Fault429Global:
		s.write429(w, f.RetryAfter, true, true, true, bucket)
	case Fault502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"))
	case Fault500:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0})
	case FaultUnauthorized:
		s.countInvalid()
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
	case FaultMissingAccess:
		s.countInvalid()
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "Missing Access", "code": 50001})
	case FaultMissingPermissions:
		s.countInvalid()
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "Missing Permissions", "code": 50013})
	case FaultUnknownChannel:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Unknown Channel", "code": 10003})
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	case FaultCut:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.(net.Conn).Close()
				return true
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	case Fault502AfterWork:
		return false
	}
	return true
}

func (s *Server) countInvalid() {
	s.mu.Lock()
	s.invalid++
	s.mu.Unlock()
}

// write429 answers a rate-limited request the way Discord does.
func (s *Server) write429(w http.ResponseWriter, after time.Duration, global, headers, bodyRetry bool, bucket string) {
	s.countInvalid()
	secs := math.Round(after.Seconds()*1000) / 1000
	if headers {
		h := w.Header()
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(after.Seconds()))))
		if global {
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
		} else {
			h.Set("X-RateLimit-Scope", "user")
			h.Set("X-RateLimit-Limit", "5")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
			h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(after).UnixMilli())/1000, 'f', 3, 64))
			h.Set("X-RateLimit-Bucket", bucketHash(bucket))
		}
	}
	body := map[string]any{"message": "You are being rate limited.", "global": global, "code": 0}
	if bodyRetry {
		body["retry_after"] = secs
	}
	writeJSON(w, http.StatusTooManyRequests, body)
}

// window is a fixed rate-limit window of one bucket, as Discord runs them:
// it opens at the first request and allows limit requests until it resets.
type window struct {
	limit int
	count int
	reset time.Time
}

// routeLimit gives the limit of a route's bucket: Discord's message create
// limit per channel, and a generous one elsewhere.
func (s *Server) routeLimit(route string) (int, time.Duration) {
	if route == RouteCreateMessage && s.opts.MessageLimit > 0 {
		return s.opts.MessageLimit, s.opts.MessageWindow
	}
	return 50, time.Second
}

// takeBucket counts a request against route+major's bucket and the global
// limit. It writes the rate-limit headers and, when over, the 429, and
// reports whether the request may proceed.
func (s *Server) takeBucket(w http.ResponseWriter, route, major string) bool {
	now := time.Now()
	exempt := route == RouteInteractionCallback || route == RouteEditOriginal || route == RouteDeleteOriginal ||
		(route == RouteExecuteWebhook && s.isInteractionToken(major))
	s.mu.Lock()
	if !exempt && s.opts.GlobalLimit > 0 {
		cut := now.Add(-time.Second)
		i := 0
		for i < len(s.global) && !s.global[i].After(cut) {
			i++
		}
		s.global = s.global[i:]
		if len(s.global) >= s.opts.GlobalLimit {
			after := s.global[0].Add(time.Second).Sub(now)
			s.mu.Unlock()
			s.write429(w, after, true, true, true, route)
			return false
		}
		s.global = append(s.global, now)
	}
	limit, per := s.routeLimit(route)
	key := route + "|" + major
	b := s.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &window{limit: limit, reset: now.Add(per)}
		s.buckets[key] = b
	}
	if b.count >= b.limit {
		after := b.reset.Sub(now)
		s.mu.Unlock()
		s.write429(w, after, false, true, true, route)
		return false
	}
	b.count++
	remaining, reset := b.limit-b.count, b.reset
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(reset.Sub(now).Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", bucketHash(route))
	return true
}

// bucketHash is a stable opaque bucket id per route, like Discord's.
func bucketHash(route string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(route); i++ {
		h ^= uint64(route[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x%016x", h, h*31)
}
