package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	// maxWebhookBody caps an update posted to the webhook.
	maxWebhookBody = 1 << 20
	// dedupTTL is how long a webhook update id is remembered; Telegram
	// gives up redelivering well before.
	dedupTTL = 24 * time.Hour
)

// WebhookHandler serves the webhook at TELEGRAM_WEBHOOK_URL's path. It
// accepts only POSTs carrying the secret in X-Telegram-Bot-Api-Secret-Token
// (401 without it, 403 with another), caps the body at 1 MiB, handles each
// update once (Redis remembers update ids for a day) and answers 503 until
// Serve runs, so that Telegram redelivers. In polling mode it answers 404.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(a.serveWebhook)
}

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if a.webhookURL == "" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The secret is checked before anything is done with the body; a
	// refused request's body is not read at all (the connection closes).
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if got == "" {
		w.Header().Set("Connection", "close")
		http.Error(w, "missing secret token", http.StatusUnauthorized)
		return
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(a.webhookSec.Reveal())) != 1 {
		a.log.WarnContext(r.Context(), "telegram webhook: wrong secret token", "remote_addr", r.RemoteAddr)
		w.Header().Set("Connection", "close")
		http.Error(w, "wrong secret token", http.StatusForbidden)
		return
	}
	if r.ContentLength > maxWebhookBody {
		w.Header().Set("Connection", "close")
		http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
		return
	}
	a.mu.Lock()
	h, rep := a.handler, a.replies
	a.mu.Unlock()
	if h == nil {
		http.Error(w, "not serving yet", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "read update", http.StatusBadRequest)
		return
	}
	if !json.Valid(body) {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	u, ok := a.decodeUpdate(ctx, body)
	if u.UpdateID <= 0 {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	if !ok {
		w.WriteHeader(http.StatusOK) // logged; redelivering it would not help
		return
	}
	first, err := a.rdb.SetNX(ctx, a.keys.updatePrefix+strconv.Itoa(u.UpdateID), "1", dedupTTL).Result()
	if err != nil {
		// Better to risk handling a redelivered update twice than to lose it.
		a.log.WarnContext(ctx, "telegram webhook: Redis de-duplication failed; handling anyway", "update_id", u.UpdateID, "err", err)
		first = true
	}
	if first {
		a.handleUpdate(ctx, h, rep, u)
	}
	w.WriteHeader(http.StatusOK)
}
