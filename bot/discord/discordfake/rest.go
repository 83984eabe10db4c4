package discordfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot/discord/discordfake/internal/specsubset"
)

// Limits Discord enforces that its OpenAPI description does not state.
const (
	maxBotContent   = 2000 // the description allows 4000, which is for users with Nitro
	maxEmbedsTotal  = 6000
	nonceWindow     = 5 * time.Minute
	maxRequestBytes = 8 << 20
)

type opHandler func(r *http.Request, body []byte) (int, any)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handlers := map[string]opHandler{
		RouteGateway:             s.getGateway,
		RouteGatewayBot:          s.getGatewayBot,
		RouteCurrentUser:         s.getCurrentUser,
		RouteCurrentApplication:  s.getApplication,
		RouteApplication:         s.getApplication,
		RouteGetCommands:         s.getCommands,
		RouteBulkCommands:        s.putCommands,
		RouteGetGuildCommands:    s.getCommands,
		RouteBulkGuildCommands:   s.putCommands,
		RouteCreateMessage:       s.createMessage,
		RouteEditMessage:         s.editMessage,
		RouteInteractionCallback: s.interactionCallback,
		RouteExecuteWebhook:      s.executeWebhook,
		RouteEditOriginal:        s.editOriginal,
		RouteDeleteOriginal:      s.deleteOriginal,
	}
	for _, op := range specsubset.Operations() {
		h, ok := handlers[op.Key()]
		if !ok {
			continue
		}
		// v10 is what the description covers; discordgo v0.29 still looks the
		// gateway up on v9, which Discord serves alike.
		hf := s.wrap(op.Key(), h)
		mux.HandleFunc(op.Method+" /api/v10"+op.Path, hf)
		mux.HandleFunc(op.Method+" /api/v9"+op.Path, hf)
	}
	mux.HandleFunc("GET /gateway-ws", s.gw.serve)
	mux.HandleFunc("GET /gateway-ws/", s.gw.serve) // discordgo adds a trailing slash
	mux.HandleFunc("GET /attachments/{id}/{filename}", s.serveAttachment)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(Call{Method: r.Method, Path: r.URL.Path, Status: http.StatusNotFound, At: time.Now()})
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	})
	return mux
}

func majorOf(r *http.Request) string {
	for _, k := range []string{"channel_id", "guild_id", "webhook_id", "interaction_id", "application_id"} {
		if v := r.PathValue(k); v != "" {
			return v
		}
	}
	return ""
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	s.logf("discordfake: %s %s -> %d", c.Method, c.Path, c.Status)
}

// wrap runs the steps every route shares: authorization, injected faults,
// rate limits, body validation against the OpenAPI schema, then h.
func (s *Server) wrap(route string, h opHandler) http.HandlerFunc {
	op := s.spec.ops[route]
	schema := s.spec.bodies[route]
	return func(rw http.ResponseWriter, r *http.Request) {
		w := &statusWriter{ResponseWriter: rw}
		major := majorOf(r)
		if route == RouteExecuteWebhook || route == RouteEditOriginal || route == RouteDeleteOriginal {
			major = r.PathValue("webhook_token")
			if !s.isInteractionToken(major) {
				major = r.PathValue("webhook_id")
			}
		}
		raw, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
		raw, files, err := splitMultipart(r, raw)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON."))
			return
		}
		if len(files) > 0 {
			r = r.WithContext(context.WithValue(r.Context(), filesKey{}, files))
		}
		call := Call{Method: r.Method, Path: r.URL.Path, Route: route, Major: major, At: time.Now()}
		if json.Valid(raw) {
			call.Body = raw
		}
		defer func() {
			call.Status = w.status
			if call.Status == 0 {
				call.Status = -1 // connection cut or hung without an answer
			}
			s.record(call)
		}()

		if !s.authorized(r, op.Auth) {
			s.countInvalid()
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		}
		fault, faulted := s.takeFault(route, major)
		if faulted && fault.Kind != Fault502AfterWork {
			if fault.Kind == FaultCut {
				s.answerFault(rw, r, fault, route)
				return
			}
			s.answerFault(w, r, fault, route)
			return
		}
		if !s.takeBucket(w, route, major) {
			return
		}
		if schema != nil {
			if len(raw) == 0 && op.BodyRequired {
				writeJSON(w, http.StatusBadRequest, map[string]any{"message": "The request body contains invalid JSON.", "code": 50109})
				return
			}
			if len(raw) > 0 {
				v, err := decodeJSON(raw)
				if err != nil {
					writeJSON(w, http.StatusBadRequest, map[string]any{"message": "The request body contains invalid JSON.", "code": 50109})
					return
				}
				errs := formErrors{}
				s.spec.validate(v, schema, nil, errs, 0)
				if len(errs) > 0 {
					writeFormErrors(w, errs)
					return
				}
			}
		}
		status, resp := h(r, raw)
		if faulted {
			s.answerFault(w, r, Fault{Kind: Fault502}, route)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			s.countInvalid()
		}
		writeJSON(w, status, resp)
	}
}

type filesKey struct{}

// requestFiles returns the files uploaded with r.
func requestFiles(r *http.Request) []File {
	f, _ := r.Context().Value(filesKey{}).([]File)
	return f
}

// splitMultipart reads a multipart/form-data upload: payload_json becomes
// the body, files[n] the files. Other bodies are returned as they are.
func splitMultipart(r *http.Request, raw []byte) ([]byte, []File, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return raw, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	var body []byte
	var files []File
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return body, files, nil
		}
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, err
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			body = data
		case strings.HasPrefix(name, "files["):
			files = append(files, File{Name: p.FileName(), Data: data})
		}
	}
}

func (s *Server) authorized(r *http.Request, level string) bool {
	got := r.Header.Get("Authorization")
	if got == "" {
		return level != specsubset.AuthRequired
	}
	return got == "Bot "+s.opts.Token
}

func writeFormErrors(w http.ResponseWriter, errs formErrors) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": errs.tree()})
}

func apiError(code int, msg string) map[string]any {
	return map[string]any{"message": msg, "code": code}
}

func (s *Server) getGateway(*http.Request, []byte) (int, any) {
	return http.StatusOK, map[string]any{"url": s.GatewayURL()}
}

func (s *Server) getGatewayBot(*http.Request, []byte) (int, any) {
	return http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	}
}

func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id": s.opts.BotUserID, "username": s.opts.BotName, "discriminator": "0000",
		"global_name": nil, "avatar": nil, "bot": true, "flags": 0,
	}
}

func (s *Server) getCurrentUser(*http.Request, []byte) (int, any) {
	return http.StatusOK, s.botUser()
}

func (s *Server) getApplication(*http.Request, []byte) (int, any) {
	return http.StatusOK, map[string]any{
		"id": s.opts.ApplicationID, "name": s.opts.BotName, "description": "",
		"bot_public": true, "bot_require_code_grant": false, "flags": 0, "bot": s.botUser(),
	}
}

func (s *Server) getCommands(r *http.Request, _ []byte) (int, any) {
	if r.PathValue("application_id") != s.opts.ApplicationID {
		return http.StatusForbidden, apiError(20012, "You are not authorized to perform this action on this application")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.commands[r.PathValue("guild_id")]
	out := make([]json.RawMessage, len(list))
	copy(out, list)
	return http.StatusOK, out
}

var commandNameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

func (s *Server) putCommands(r *http.Request, raw []byte) (int, any) {
	if r.PathValue("application_id") != s.opts.ApplicationID {
		return http.StatusForbidden, apiError(20012, "You are not authorized to perform this action on this application")
	}
	var cmds []map[string]any
	if err := json.Unmarshal(raw, &cmds); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	errs := formErrors{}
	names := map[string]bool{}
	for i, c := range cmds {
		name, _ := c["name"].(string)
		p := []string{fmt.Sprint(i), "name"}
		if t, _ := c["type"].(float64); (t == 0 || t == 1) && (!commandNameRE.MatchString(name) || strings.ToLower(name) != name) {
			errs.add(p, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		if names[name] {
			errs.add(p, "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		names[name] = true
		if d, _ := c["description"].(string); d == "" {
			errs.add([]string{fmt.Sprint(i), "description"}, "BASE_TYPE_REQUIRED", "This field is required")
		}
		checkOptionOrder(c["options"], []string{fmt.Sprint(i), "options"}, errs)
	}
	if len(errs) > 0 {
		return http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": errs.tree()}
	}
	scope := r.PathValue("guild_id")
	out := make([]json.RawMessage, 0, len(cmds))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range cmds {
		c["id"] = s.nextIDLocked()
		c["application_id"] = s.opts.ApplicationID
		c["version"] = s.nextIDLocked()
		if scope != "" {
			c["guild_id"] = scope
		}
		b, _ := json.Marshal(c)
		out = append(out, b)
	}
	s.commands[scope] = out
	s.commandPuts[scope]++
	return http.StatusOK, out
}

// checkOptionOrder enforces Discord's rule that required options come
// before optional ones, and option names are valid and unique.
func checkOptionOrder(v any, path []string, errs formErrors) {
	opts, _ := v.([]any)
	optional := false
	names := map[string]bool{}
	for i, o := range opts {
		m, _ := o.(map[string]any)
		p := appendPath(path, fmt.Sprint(i))
		name, _ := m["name"].(string)
		if !commandNameRE.MatchString(name) || strings.ToLower(name) != name {
			errs.add(appendPath(p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		}
		if names[name] {
			errs.add(appendPath(p, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[name] = true
		req, _ := m["required"].(bool)
		if req && optional {
			errs.add(appendPath(p, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		if !req {
			optional = true
		}
		checkOptionOrder(m["options"], appendPath(p, "options"), errs)
	}
}

// checkMessage applies the limits the OpenAPI description leaves out;
// with nonEmpty, a message without any content is refused.
func checkMessage(b messageBody, nonEmpty bool) (int, any) {
	errs := formErrors{}
	if b.Content != nil && utf8.RuneCountInString(*b.Content) > maxBotContent {
		errs.add([]string{"content"}, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxBotContent))
	}
	if b.Embeds != nil {
		total := 0
		for _, e := range *b.Embeds {
			total += e.Chars()
		}
		if total > maxEmbedsTotal {
			errs.add([]string{"embeds"}, "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedsTotal))
		}
	}
	if len(errs) > 0 {
		return http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": errs.tree()}
	}
	if nonEmpty && b.empty() {
		return http.StatusBadRequest, apiError(50006, "Cannot send an empty message")
	}
	return 0, nil
}

func (s *Server) createMessage(r *http.Request, raw []byte) (int, any) {
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	if st, resp := checkMessage(b, len(requestFiles(r)) == 0); st != 0 {
		return st, resp
	}
	ch := r.PathValue("channel_id")
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	nonce := b.nonce()
	if nonce != "" && b.EnforceNonce {
		if e, ok := s.nonces[ch+"|"+nonce]; ok && now.Sub(e.at) < nonceWindow {
			if m := s.byID[e.messageID]; m != nil {
				return http.StatusOK, m.response(s.opts.BotUserID, s.opts.BotName)
			}
		}
	}
	m := &Message{ID: s.nextIDLocked(), ChannelID: ch, Nonce: nonce, Created: now, Files: requestFiles(r)}
	b.apply(m, raw)
	s.storeLocked(m)
	if nonce != "" && b.EnforceNonce {
		s.nonces[ch+"|"+nonce] = nonceEntry{messageID: m.ID, at: now}
	}
	return http.StatusOK, m.response(s.opts.BotUserID, s.opts.BotName)
}

func (s *Server) storeLocked(m *Message) {
	s.messages[m.ChannelID] = append(s.messages[m.ChannelID], m)
	s.byID[m.ID] = m
}

func (s *Server) editMessage(r *http.Request, raw []byte) (int, any) {
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	if st, resp := checkMessage(b, false); st != 0 {
		return st, resp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.byID[r.PathValue("message_id")]
	if m == nil || m.Deleted || m.ChannelID != r.PathValue("channel_id") {
		return http.StatusNotFound, apiError(10008, "Unknown Message")
	}
	if m.WebhookID != "" {
		return http.StatusForbidden, apiError(50005, "Cannot edit a message authored by another user")
	}
	b.apply(m, raw)
	m.Edits++
	return http.StatusOK, m.response(s.opts.BotUserID, s.opts.BotName)
}

func (s *Server) executeWebhook(r *http.Request, raw []byte) (int, any) {
	id, tok := r.PathValue("webhook_id"), r.PathValue("webhook_token")
	var b messageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return http.StatusBadRequest, apiError(50109, "The request body contains invalid JSON.")
	}
	if st, resp := checkMessage(b, len(requestFiles(r)) == 0); st != 0 {
		return st, resp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.byToken[tok]; it != nil && id == s.opts.ApplicationID {
		return s.followupLocked(it, b, raw, requestFiles(r))
	}
	wh := s.webhooks[id]
	if wh == nil {
		return http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	if wh.token != tok {
		return http.StatusUnauthorized, apiError(50027, "Invalid Webhook Token")
	}
	m := &Message{ID: s.nextIDLocked(), ChannelID: wh.channelID, WebhookID: wh.id, Created: time.Now(), Files: requestFiles(r)}
	b.apply(m, raw)
	s.storeLocked(m)
	if r.URL.Query().Get("wait") != "true" {
		return http.StatusNoContent, nil
	}
	return http.StatusOK, m.response(wh.id, "newsalert-webhook")
}
