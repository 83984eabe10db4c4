package telegramfake

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

type webhookState struct {
	info   WebhookInfo
	cancel context.CancelFunc
}

// WebhookDelivery is one attempt of the fake to POST an update to the
// webhook.
type WebhookDelivery struct {
	UpdateID int
	Status   int    // HTTP status of the answer, 0 on a transport error
	Err      string // transport error, if any
}

// WebhookDeliveries returns every attempt to deliver an update to the
// webhook, oldest first.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookDelivery(nil), s.deliveries...)
}

func validSecretToken(t string) bool {
	if t == "" || len(t) > 256 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(p map[string]any) (any, *apiError) {
	raw := str(p["url"])
	if raw == "" {
		return s.deleteWebhook(p)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret, hasSecret := p["secret_token"].(string)
	if hasSecret && !validSecretToken(secret) {
		return nil, badRequest("bad webhook: secret token contains unallowed characters")
	}
	info := WebhookInfo{URL: raw, SecretToken: secret}
	if arr, ok := p["allowed_updates"].([]any); ok {
		info.AllowedUpdates = []string{}
		for _, a := range arr {
			info.AllowedUpdates = append(info.AllowedUpdates, str(a))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, &apiError{code: http.StatusInternalServerError, description: "telegramfake is closed"}
	}
	if s.webhook != nil {
		s.webhook.cancel()
	}
	if drop, _ := p["drop_pending_updates"].(bool); drop {
		s.updates = nil
	}
	if s.poll != nil {
		close(s.poll.terminated)
		s.poll = nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.webhook = &webhookState{info: info, cancel: cancel}
	s.wg.Add(1)
	go s.deliver(ctx, info)
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteWebhook(p map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook != nil {
		s.webhook.cancel()
		s.webhook = nil
	}
	if drop, _ := p["drop_pending_updates"].(bool); drop {
		s.updates = nil
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) getWebhookInfo() (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.updates)}
	if s.webhook != nil {
		info["url"] = s.webhook.info.URL
		if s.webhook.info.AllowedUpdates != nil {
			info["allowed_updates"] = s.webhook.info.AllowedUpdates
		}
	}
	return info, nil
}

// deliver POSTs pending updates to the webhook one at a time, as Telegram
// does, until ctx ends; an update is forgotten once the webhook answers 2xx
// and retried otherwise.
func (s *Server) deliver(ctx context.Context, info WebhookInfo) {
	defer s.wg.Done()
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		s.mu.Lock()
		ch := s.changed
		var (
			u    Update
			have bool
		)
		if len(s.updates) > 0 {
			u, have = s.updates[0], true
		}
		s.mu.Unlock()
		if !have {
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return
			}
		}
		d := s.post(ctx, client, info, u)
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		ok := d.Status/100 == 2
		if ok && len(s.updates) > 0 && s.updates[0].UpdateID == u.UpdateID {
			s.updates = s.updates[1:]
		}
		s.notifyLocked()
		s.mu.Unlock()
		if !ok {
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
				return
			}
		}
	}
}

func (s *Server) post(ctx context.Context, client *http.Client, info WebhookInfo, u Update) WebhookDelivery {
	d := WebhookDelivery{UpdateID: u.UpdateID}
	body, err := json.Marshal(u)
	if err != nil {
		d.Err = err.Error()
		return d
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, info.URL, bytes.NewReader(body))
	if err != nil {
		d.Err = err.Error()
		return d
	}
	req.Header.Set("Content-Type", "application/json")
	if info.SecretToken != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", info.SecretToken)
	}
	resp, err := client.Do(req)
	if err != nil {
		d.Err = err.Error()
		return d
	}
	_ = resp.Body.Close() // only the status matters
	d.Status = resp.StatusCode
	return d
}
