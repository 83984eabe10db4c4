package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

type callbackBody struct {
	Type int             `json:"type"`
	Data json.RawMessage `json:"data"`
}

type callbackData struct {
	messageBody
	Choices []Choice `json:"choices"`
}

func (s *Server) interactionCallback(r *http.Request, raw []byte) (int, any) {
	s.mu.Lock()
	st := s.interactions[r.PathValue("interaction_id")]
	s.mu.Unlock()
	if st == nil || st.token != r.PathValue("interaction_token") {
		return http.StatusNotFound, apiError(10062, "Unknown interaction")
	}
	if time.Since(st.created) > s.opts.InteractionDeadline {
		return http.StatusNotFound, apiError(10062, "Unknown interaction")
	}
	st2, resp := s.acknowledge(st, raw)
	if st2 == http.StatusOK {
		return http.StatusNoContent, nil
	}
	return st2, resp
}

// acknowledge records an initial response after checking it.
func (s *Server) acknowledge(st *interactionState, raw []byte) (int, any) {
	var cb callbackBody
	if err := json.Unmarshal(raw, &cb); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	var data callbackData
	if len(cb.Data) > 0 && string(cb.Data) != "null" {
		if err := json.Unmarshal(cb.Data, &data); err != nil {
			return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
		}
	}
	switch {
	case st.autocomplete && cb.Type != 8:
		return http.StatusBadRequest, apiError(50035, "Invalid Form Body: autocomplete interactions take type 8 only")
	case !st.autocomplete && cb.Type != 4 && cb.Type != 5:
		return http.StatusBadRequest, apiError(50035, fmt.Sprintf("Invalid Form Body: interaction callback type %d is not valid for an application command", cb.Type))
	}
	if cb.Type == 4 {
		if code, resp := checkMessage(data.messageBody, true); code != 0 {
			return code, resp
		}
	}
	if cb.Type == 8 && len(data.Choices) > 25 {
		return http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body",
			"errors": formErrors{"data.choices": {{Code: "BASE_TYPE_MAX_LENGTH", Message: "Must be 25 or fewer in length."}}}.tree()}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.callback != nil {
		return http.StatusBadRequest, apiError(40060, "Interaction has already been acknowledged.")
	}
	c := &Callback{Type: cb.Type, Choices: data.Choices, Data: append(json.RawMessage(nil), cb.Data...), At: time.Now()}
	if data.Content != nil {
		c.Content = *data.Content
	}
	if data.Flags != nil {
		c.Flags = *data.Flags
	}
	if data.Embeds != nil {
		c.Embeds = *data.Embeds
	}
	c.AllowedMentions = data.AllowedMentions
	st.callback = c
	if cb.Type == 4 || cb.Type == 5 {
		m := &Message{ID: s.nextIDLocked(), ChannelID: st.channelID, WebhookID: s.opts.ApplicationID,
			InteractionID: st.id, Created: time.Now()}
		data.messageBody.apply(m, cb.Data)
		if cb.Type == 5 {
			m.Content = ""
		}
		st.original = m
		s.storeLocked(m)
	}
	close(st.answered)
	return http.StatusOK, nil
}

func (s *Server) isInteractionToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byToken[tok] != nil
}

func (s *Server) followupLocked(st *interactionState, b messageBody, raw []byte, files []File) (int, any) {
	if st.callback == nil || st.autocomplete {
		return http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	if time.Since(st.created) > s.opts.FollowupWindow {
		return http.StatusUnauthorized, apiError(50027, "Invalid Webhook Token")
	}
	m := &Message{ID: s.nextIDLocked(), ChannelID: st.channelID, WebhookID: s.opts.ApplicationID,
		InteractionID: st.id, Created: time.Now(), Files: files}
	if b.empty() && len(files) == 0 {
		return http.StatusBadRequest, apiError(50006, "Cannot send an empty message")
	}
	b.apply(m, raw)
	st.followups = append(st.followups, m)
	s.storeLocked(m)
	return http.StatusOK, m.response(s.opts.ApplicationID, s.opts.BotName)
}

func (s *Server) originalFor(r *http.Request) (*interactionState, int, any) {
	st := s.byToken[r.PathValue("webhook_token")]
	if st == nil || r.PathValue("webhook_id") != s.opts.ApplicationID {
		return nil, http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	if time.Since(st.created) > s.opts.FollowupWindow {
		return nil, http.StatusUnauthorized, apiError(50027, "Invalid Webhook Token")
	}
	if st.original == nil || st.original.Deleted {
		return nil, http.StatusNotFound, apiError(10008, "Unknown Message")
	}
	return st, 0, nil
}

func (s *Server) editOriginal(r *http.Request, raw []byte) (int, any) {
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	if st, resp := checkMessage(b, false); st != 0 {
		return st, resp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, code, resp := s.originalFor(r)
	if st == nil {
		return code, resp
	}
	flags := st.original.Flags
	b.apply(st.original, raw)
	st.original.Flags = flags // the ephemeral flag is fixed by the initial response
	st.original.Edits++
	return http.StatusOK, st.original.response(s.opts.ApplicationID, s.opts.BotName)
}

func (s *Server) deleteOriginal(r *http.Request, _ []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, code, resp := s.originalFor(r)
	if st == nil {
		return code, resp
	}
	st.original.Deleted = true
	return http.StatusNoContent, nil
}

// WaitResponse waits for the interaction's initial response.
func (p *PendingInteraction) WaitResponse(ctx context.Context) (Callback, error) {
	select {
	case <-p.st.answered:
		c, _ := p.Response()
		return c, nil
	case <-ctx.Done():
		return Callback{}, fmt.Errorf("discordfake: no response to interaction %s: %w", p.ID, ctx.Err())
	}
}

// Response returns the initial response, if one was given.
func (p *PendingInteraction) Response() (Callback, bool) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	if p.st.callback == nil {
		return Callback{}, false
	}
	return *p.st.callback, true
}

// Original returns the message the initial response created (after any
// edits); false when there is none or it was deleted.
func (p *PendingInteraction) Original() (Message, bool) {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	if p.st.original == nil || p.st.original.Deleted {
		return Message{}, false
	}
	return p.st.original.clone(), true
}

// Followups returns the followup messages, in order.
func (p *PendingInteraction) Followups() []Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	out := make([]Message, 0, len(p.st.followups))
	for _, m := range p.st.followups {
		if !m.Deleted {
			out = append(out, m.clone())
		}
	}
	return out
}
