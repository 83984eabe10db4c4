package telegram

import (
	"context"
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
	sv := a.serving
	a.mu.Unlock()
	if sv == nil {
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
	switch a.acceptWebhook(ctx, sv, u.UpdateID, body) {
	case http.StatusOK:
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "not accepted; send it again", http.StatusServiceUnavailable)
	}
}

// acceptWebhook claims an update (Redis remembers ids for a day, so a
// redelivery is not handled twice), stores it in this process's pending
// hash and queues it on the dispatcher; the webhook answers 200 only then,
// so that Telegram redelivers what was not accepted. Queuing waits while
// the dispatcher is full (back-pressure: Telegram waits too).
func (a *Adapter) acceptWebhook(ctx context.Context, sv *serving, id int, body []byte) int {
	claim := a.keys.updatePrefix + strconv.Itoa(id)
	first, err := a.rdb.SetNX(ctx, claim, "1", dedupTTL).Result()
	if err != nil {
		// Better to risk handling a redelivered update twice than to lose it.
		a.log.WarnContext(ctx, "telegram webhook: Redis de-duplication failed; handling anyway", "update_id", id, "err", err)
		first = true
	}
	if !first {
		return http.StatusOK
	}
	if err := a.rdb.HSet(ctx, a.keys.webhookPending, strconv.Itoa(id), body).Err(); err != nil {
		a.log.WarnContext(ctx, "telegram webhook: storing the update failed; handling it without a safety copy", "update_id", id, "err", err)
	}
	// Queue with the serving context: Telegram waits while the dispatcher
	// is full, and a cut request must not leave a claimed update unqueued.
	if a.dispatch(sv.ctx, sv.h, sv.rep, sv.disp, sv.fl, a.keys.webhookPending, id, body) {
		return http.StatusOK
	}
	// Shutting down: let Telegram deliver it again (here or elsewhere).
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	a.rdb.HDel(uctx, a.keys.webhookPending, strconv.Itoa(id))
	a.rdb.Del(uctx, claim)
	return http.StatusServiceUnavailable
}
