package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"
)

// apiCall is one Web API request, its parameters merged from the query,
// a form body or a JSON body.
type apiCall struct {
	method string
	spec   MethodSpec
	token  string
	params url.Values
}

func (c *apiCall) has(name string) bool { return c.params.Get(name) != "" }

type apiError struct {
	code     string
	messages []string
}

func (f *Fake) serveAPI(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("method")
	spec, ok := f.spec.Methods[name]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "unknown_method"})
		return
	}
	call, err := readCall(r, name, spec)
	if err != nil {
		f.fail(w, name, apiError{code: "invalid_form_data"})
		return
	}
	f.mu.Lock()
	f.stats.Calls[name]++
	f.mu.Unlock()
	if e := f.authorize(call); e != "" {
		f.fail(w, name, apiError{code: e})
		return
	}
	if after, limited := f.limit(call); limited {
		f.mu.Lock()
		f.stats.RateLimited[name]++
		f.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(after))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if code := f.popFailure(name); code != "" {
		f.fail(w, name, apiError{code: code})
		return
	}
	if p := spec.missingParam(call.has); p != "" {
		code := "invalid_arguments"
		if p == "channel" {
			code = "channel_not_found"
		}
		f.fail(w, name, apiError{code: code, messages: []string{"[ERROR] missing required field: " + p}})
		return
	}
	var resp map[string]any
	var e *apiError
	switch name {
	case "auth.test":
		resp = f.authTest()
	case "apps.connections.open":
		resp = f.connectionsOpen()
	case "chat.postMessage":
		resp, e = f.postMessage(call)
	case "chat.update":
		resp, e = f.update(call)
	case "users.info":
		resp, e = f.usersInfo(call)
	case "conversations.info":
		resp, e = f.conversationsInfo(call)
	case "conversations.history":
		resp, e = f.conversationsHistory(call)
	case "views.publish":
		resp, e = f.viewsPublish(call)
	}
	if e != nil {
		f.fail(w, name, *e)
		return
	}
	resp["ok"] = true
	writeJSON(w, http.StatusOK, resp)
}

func readCall(r *http.Request, name string, spec MethodSpec) (*apiCall, error) {
	c := &apiCall{method: name, spec: spec, params: url.Values{}}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body map[string]any
		b, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			return nil, err
		}
		if len(b) > 0 { // an empty body is no parameters, as Slack takes it
			if err := json.Unmarshal(b, &body); err != nil {
				return nil, err
			}
		}
		for k, v := range body {
			if s, ok := v.(string); ok {
				c.params.Set(k, s)
				continue
			}
			raw, _ := json.Marshal(v)
			c.params.Set(k, string(raw))
		}
		for k, v := range r.URL.Query() {
			c.params[k] = v
		}
	} else {
		r.Body = http.MaxBytesReader(nil, r.Body, 4<<20)
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		c.params = r.Form
	}
	c.token = c.params.Get("token")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		c.token = strings.TrimPrefix(h, "Bearer ")
	}
	c.params.Del("token")
	return c, nil
}

// authorize returns the error code for the call's token, or "".
func (f *Fake) authorize(c *apiCall) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case c.token == "":
		return "not_authed"
	case c.method == "apps.connections.open":
		if c.token == f.opts.BotToken {
			return "not_allowed_token_type"
		}
		if f.opts.AppToken == "" || c.token != f.opts.AppToken {
			return "invalid_auth"
		}
	case c.token == f.opts.AppToken && f.opts.AppToken != "":
		return "not_allowed_token_type"
	case c.token != f.opts.BotToken || f.revoked:
		return "invalid_auth"
	}
	return ""
}

// limit takes a token from the call's bucket; when empty it returns the
// whole seconds until one is free.
func (f *Fake) limit(c *apiCall) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key, lim := c.method, tierLimit(c.spec.Tier)
	if l, ok := f.opts.Tiers[c.method]; ok {
		lim = l
	}
	if c.method == "chat.postMessage" {
		key, lim = key+"/"+c.params.Get("channel"), DefaultPerChannel
		if f.opts.PerChannel != nil {
			lim = *f.opts.PerChannel
		}
	}
	l, ok := f.limiters[key]
	if !ok {
		l = rate.NewLimiter(rate.Every(lim.Every), lim.Burst)
		f.limiters[key] = l
	}
	now := f.opts.Now()
	res := l.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return int(math.Ceil(d.Seconds())), true
	}
	return 0, false
}

func (f *Fake) popFailure(method string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.failNext[method]
	if len(q) == 0 {
		return ""
	}
	f.failNext[method] = q[1:]
	return q[0]
}

func (f *Fake) fail(w http.ResponseWriter, method string, e apiError) {
	f.mu.Lock()
	f.stats.Errors[e.code]++
	f.mu.Unlock()
	body := map[string]any{"ok": false, "error": e.code}
	if len(e.messages) > 0 {
		body["response_metadata"] = map[string]any{"messages": e.messages}
	}
	if spec, ok := f.spec.Methods[method]; ok && !spec.documents(e.code) {
		body["warning"] = "error_not_in_spec"
	}
	writeJSON(w, http.StatusOK, body)
}

func (f *Fake) authTest() map[string]any {
	return map[string]any{"url": "https://newsroom.slack.com/", "team": "Newsroom", "user": "newsalert",
		"team_id": f.opts.TeamID, "user_id": f.opts.BotUserID, "bot_id": f.opts.BotID, "is_enterprise_install": false}
}

func (f *Fake) connectionsOpen() map[string]any {
	ws := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/socket?ticket=" + randomID("t")
	return map[string]any{"url": ws}
}

// checkContent validates text and blocks the way chat.postMessage and
// chat.update do.
func checkContent(c *apiCall, maxBlocks int) *apiError {
	text, blocks := c.params.Get("text"), c.params.Get("blocks")
	if text == "" && blocks == "" && c.params.Get("attachments") == "" {
		return &apiError{code: "no_text"}
	}
	if utf8.RuneCountInString(text) > MaxMessageText {
		return &apiError{code: "msg_too_long"}
	}
	if !utf8.ValidString(text) {
		return &apiError{code: "invalid_charset"}
	}
	if blocks != "" {
		format, errs := validateBlocks(blocks, maxBlocks)
		if !format {
			return &apiError{code: "invalid_blocks_format"}
		}
		if len(errs) > 0 {
			return &apiError{code: "invalid_blocks", messages: errs}
		}
	}
	return nil
}

// channelForPostLocked applies Slack's delivery checks to a channel.
func (f *Fake) channelForPostLocked(id string) (*Channel, *apiError) {
	ch, ok := f.channels[id]
	switch {
	case !ok:
		return nil, &apiError{code: "channel_not_found"}
	case ch.IsArchived:
		return nil, &apiError{code: "is_archived"}
	case !ch.IsMember && !ch.IsIM:
		return nil, &apiError{code: "not_in_channel"}
	}
	return ch, nil
}

func (f *Fake) postMessage(c *apiCall) (map[string]any, *apiError) {
	if e := checkContent(c, MaxMessageBlocks); e != nil {
		return nil, e
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, e := f.channelForPostLocked(c.params.Get("channel"))
	if e != nil {
		return nil, e
	}
	lk, _ := strconv.ParseBool(c.params.Get("link_names"))
	m := &Message{Channel: ch.ID, TS: f.nextTSLocked(), Text: c.params.Get("text"), Blocks: c.params.Get("blocks"),
		UnfurlLinks: c.params.Get("unfurl_links"), UnfurlMedia: c.params.Get("unfurl_media"), LinkNames: lk,
		Metadata: c.params.Get("metadata")}
	if m.Metadata != "" {
		var md struct {
			EventType string `json:"event_type"`
		}
		if json.Unmarshal([]byte(m.Metadata), &md) != nil || md.EventType == "" {
			return nil, &apiError{code: "invalid_metadata_format"}
		}
	}
	f.messages[ch.ID] = append(f.messages[ch.ID], m)
	f.notifyLocked()
	return map[string]any{"channel": ch.ID, "ts": m.TS, "message": f.messageJSON(m)}, nil
}

func (f *Fake) messageJSON(m *Message) map[string]any {
	out := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "user": f.opts.BotUserID, "bot_id": f.opts.BotID}
	if m.Blocks != "" {
		out["blocks"] = json.RawMessage(m.Blocks)
	}
	return out
}

func (f *Fake) update(c *apiCall) (map[string]any, *apiError) {
	if e := checkContent(c, MaxMessageBlocks); e != nil {
		return nil, e
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, e := f.channelForPostLocked(c.params.Get("channel"))
	if e != nil {
		return nil, e
	}
	ts := c.params.Get("ts")
	for _, m := range f.messages[ch.ID] {
		if m.TS != ts {
			continue
		}
		if c.has("text") || c.has("blocks") {
			m.Text, m.Blocks = c.params.Get("text"), c.params.Get("blocks")
		}
		m.Edits++
		f.notifyLocked()
		return map[string]any{"channel": ch.ID, "ts": ts, "text": m.Text, "message": f.messageJSON(m)}, nil
	}
	return nil, &apiError{code: "message_not_found"}
}

func (f *Fake) usersInfo(c *apiCall) (map[string]any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[c.params.Get("user")]
	if !ok {
		return nil, &apiError{code: "user_not_found"}
	}
	return map[string]any{"user": map[string]any{"id": u.ID, "team_id": f.opts.TeamID, "name": u.Name, "real_name": u.RealName,
		"deleted": u.Deleted, "is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_primary_owner": false, "is_bot": u.IsBot,
		"profile": map[string]any{"real_name": u.RealName, "display_name": u.Name}}}, nil
}

func (f *Fake) conversationsInfo(c *apiCall) (map[string]any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.channels[c.params.Get("channel")]
	if !ok {
		return nil, &apiError{code: "channel_not_found"}
	}
	return map[string]any{"channel": map[string]any{"id": ch.ID, "name": ch.Name, "is_channel": !ch.IsPrivate && !ch.IsIM,
		"is_group": ch.IsPrivate, "is_im": ch.IsIM, "is_private": ch.IsPrivate || ch.IsIM, "is_archived": ch.IsArchived,
		"is_member": ch.IsMember, "created": time.Now().Unix()}}, nil
}

func (f *Fake) viewsPublish(c *apiCall) (map[string]any, *apiError) {
	var view struct {
		Type   string          `json:"type"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(c.params.Get("view")), &view); err != nil {
		return nil, &apiError{code: "invalid_arguments", messages: []string{"[ERROR] view is not a JSON object"}}
	}
	if view.Type != "home" {
		return nil, &apiError{code: "invalid_arguments", messages: []string{fmt.Sprintf("[ERROR] view type %q is not home", view.Type)}}
	}
	format, errs := validateBlocks(string(view.Blocks), MaxViewBlocks)
	if !format {
		return nil, &apiError{code: "invalid_arguments", messages: []string{"[ERROR] blocks must be an array"}}
	}
	if len(errs) > 0 {
		return nil, &apiError{code: "invalid_arguments", messages: errs}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	user := c.params.Get("user_id")
	if _, ok := f.users[user]; !ok {
		return nil, &apiError{code: "invalid_arguments", messages: []string{"[ERROR] unknown user_id"}}
	}
	f.views[user] = c.params.Get("view")
	f.notifyLocked()
	return map[string]any{"view": map[string]any{"id": randomID("V"), "type": "home", "blocks": view.Blocks}}, nil
}

// conversationsHistory lists a channel's messages newest first, within
// oldest/latest (exclusive), at most limit (default 100); metadata only
// with include_all_metadata.
func (f *Fake) conversationsHistory(c *apiCall) (map[string]any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.channels[c.params.Get("channel")]
	if !ok {
		return nil, &apiError{code: "channel_not_found"}
	}
	if !ch.IsMember && !ch.IsIM && ch.IsPrivate {
		return nil, &apiError{code: "not_in_channel"}
	}
	limit, err := strconv.Atoi(c.params.Get("limit"))
	if err != nil || limit <= 0 || limit > 999 {
		limit = 100
	}
	oldest, _ := strconv.ParseFloat(c.params.Get("oldest"), 64)
	latest, _ := strconv.ParseFloat(c.params.Get("latest"), 64)
	meta, _ := strconv.ParseBool(c.params.Get("include_all_metadata"))
	var out []map[string]any
	ms := f.messages[ch.ID]
	for i := len(ms) - 1; i >= 0 && len(out) < limit; i-- {
		ts, _ := strconv.ParseFloat(ms[i].TS, 64)
		if ts <= oldest || (latest > 0 && ts >= latest) {
			continue
		}
		m := f.messageJSON(ms[i])
		if meta && ms[i].Metadata != "" {
			m["metadata"] = json.RawMessage(ms[i].Metadata)
		}
		out = append(out, m)
	}
	return map[string]any{"messages": out, "has_more": false, "pin_count": 0}, nil
}
