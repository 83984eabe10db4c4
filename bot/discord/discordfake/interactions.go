package discordfake

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Interaction describes a slash command (or an autocomplete request for one)
// a user runs, for SendInteraction and DeliverHTTP.
type Interaction struct {
	// Autocomplete makes it an APPLICATION_COMMAND_AUTOCOMPLETE interaction;
	// mark the option being typed with Focused.
	Autocomplete bool
	Command      string // top-level command name: "subscribe", "source"
	Subcommand   string // "add" for /source add; empty for plain commands
	Options      []Option
	// GuildID is empty for a direct message with the bot.
	GuildID   string
	ChannelID string
	// ThreadParentID, when set, makes ChannelID a public thread in that
	// parent channel.
	ThreadParentID string
	UserID         string
	Username       string
	// Permissions are the member's computed permissions in the channel
	// (guild interactions only), as Discord sends them.
	Permissions int64
}

// Attachment is a file a user gives to an attachment option; the fake
// serves it from its own origin, as Discord's CDN would.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Option is one option value. Value is a string, an int, a bool or an
// Attachment.
type Option struct {
	Name    string
	Value   any
	Focused bool
}

// Callback is an interaction's initial response.
type Callback struct {
	Type            int
	Content         string
	Flags           int
	Embeds          []Embed
	AllowedMentions *AllowedMentions
	Choices         []Choice // autocomplete results
	Data            json.RawMessage
	At              time.Time
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

type interactionState struct {
	id, token    string
	autocomplete bool
	channelID    string
	created      time.Time
	callback     *Callback
	answered     chan struct{}
	original     *Message
	followups    []*Message
}

// PendingInteraction is a handle on an interaction the fake sent.
type PendingInteraction struct {
	ID      string
	Token   string
	Payload json.RawMessage // the interaction object as dispatched
	s       *Server
	st      *interactionState
}

// PrepareInteraction registers an interaction and builds its payload
// without sending it anywhere: the bot's callbacks and followups for it are
// then accepted. SendInteraction and DeliverHTTP use it.
func (s *Server) PrepareInteraction(in Interaction) (*PendingInteraction, error) {
	if in.Command == "" || in.ChannelID == "" || in.UserID == "" {
		return nil, fmt.Errorf("discordfake: interaction needs Command, ChannelID and UserID")
	}
	s.mu.Lock()
	st := &interactionState{
		id:           s.nextIDLocked(),
		token:        "aW50ZXJhY3Rpb246" + s.nextIDLocked() + "OkZha2VUb2tlbg",
		autocomplete: in.Autocomplete,
		channelID:    in.ChannelID,
		created:      time.Now(),
		answered:     make(chan struct{}),
	}
	cmdID := ""
	for _, scope := range []string{in.GuildID, ""} {
		for _, raw := range s.commands[scope] {
			var c struct{ ID, Name string }
			if json.Unmarshal(raw, &c) == nil && c.Name == in.Command {
				cmdID = c.ID
			}
		}
		if cmdID != "" {
			break
		}
	}
	if cmdID == "" {
		cmdID = s.nextIDLocked()
	}
	s.interactions[st.id] = st
	s.byToken[st.token] = st
	s.mu.Unlock()

	payload, err := json.Marshal(s.payload(in, st, cmdID))
	if err != nil {
		return nil, fmt.Errorf("discordfake: encode interaction: %w", err)
	}
	return &PendingInteraction{ID: st.id, Token: st.token, Payload: payload, s: s, st: st}, nil
}

func optionJSON(o Option) map[string]any {
	t := 3
	switch o.Value.(type) {
	case int, int64:
		t = 4
	case bool:
		t = 5
	case float64:
		t = 10
	}
	m := map[string]any{"name": o.Name, "type": t, "value": o.Value}
	if o.Focused {
		m["focused"] = true
	}
	return m
}

func (s *Server) payload(in Interaction, st *interactionState, cmdID string) map[string]any {
	opts := make([]any, 0, len(in.Options))
	resolved := map[string]any{}
	for _, o := range in.Options {
		att, ok := o.Value.(Attachment)
		if !ok {
			opts = append(opts, optionJSON(o))
			continue
		}
		id := s.nextID()
		s.mu.Lock()
		s.attachments[id] = att
		s.mu.Unlock()
		u := s.URL() + "/attachments/" + id + "/" + url.PathEscape(att.Filename)
		resolved[id] = map[string]any{"id": id, "filename": att.Filename, "size": len(att.Data),
			"url": u, "proxy_url": u, "content_type": att.ContentType, "ephemeral": true}
		opts = append(opts, map[string]any{"name": o.Name, "type": 11, "value": id})
	}
	if in.Subcommand != "" {
		opts = []any{map[string]any{"name": in.Subcommand, "type": 1, "options": opts}}
	}
	typ := 2
	if in.Autocomplete {
		typ = 4
	}
	data := map[string]any{"id": cmdID, "name": in.Command, "type": 1, "options": opts}
	if len(resolved) > 0 {
		data["resolved"] = map[string]any{"attachments": resolved}
	}
	user := map[string]any{
		"id": in.UserID, "username": in.Username, "global_name": in.Username,
		"discriminator": "0", "avatar": nil, "public_flags": 0,
	}
	p := map[string]any{
		"id":                    st.id,
		"application_id":        s.opts.ApplicationID,
		"type":                  typ,
		"data":                  data,
		"channel_id":            in.ChannelID,
		"token":                 st.token,
		"version":               1,
		"locale":                "en-US",
		"app_permissions":       "2248473465835073",
		"entitlements":          []any{},
		"attachment_size_limit": 26214400,
	}
	if in.GuildID != "" {
		chType := 0
		channel := map[string]any{"id": in.ChannelID, "guild_id": in.GuildID, "name": "news", "nsfw": false}
		if in.ThreadParentID != "" {
			chType = 11
			channel["parent_id"] = in.ThreadParentID
			channel["name"] = "breaking-thread"
			channel["thread_metadata"] = map[string]any{"archived": false, "locked": false, "auto_archive_duration": 1440}
		}
		channel["type"] = chType
		p["guild_id"] = in.GuildID
		p["guild_locale"] = "en-US"
		p["guild"] = map[string]any{"id": in.GuildID, "locale": "en-US", "features": []any{}}
		p["channel"] = channel
		p["context"] = 0
		p["authorizing_integration_owners"] = map[string]any{"0": in.GuildID}
		p["member"] = map[string]any{
			"user": user, "roles": []any{}, "nick": nil, "avatar": nil, "flags": 0,
			"joined_at": "2024-03-01T12:00:00.000000+00:00", "deaf": false, "mute": false,
			"pending": false, "premium_since": nil,
			"permissions": strconv.FormatInt(in.Permissions, 10),
		}
	} else {
		p["channel"] = map[string]any{"id": in.ChannelID, "type": 1, "flags": 0,
			"recipients": []any{user}, "last_message_id": nil}
		p["context"] = 1
		p["authorizing_integration_owners"] = map[string]any{"0": in.UserID}
		p["user"] = user
	}
	return p
}

// serveAttachment serves files given to commands, like Discord's CDN.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	att, ok := s.attachments[r.PathValue("id")]
	s.mu.Unlock()
	if !ok || att.Filename != r.PathValue("filename") {
		http.NotFound(w, r)
		return
	}
	if att.ContentType != "" {
		w.Header().Set("Content-Type", att.ContentType)
	}
	_, _ = w.Write(att.Data)
}

// SendInteraction dispatches INTERACTION_CREATE for in on the gateway (or
// queues it for replay if the client is between connections) and returns a
// handle to watch the bot's answers.
func (s *Server) SendInteraction(ctx context.Context, in Interaction) (*PendingInteraction, error) {
	p, err := s.PrepareInteraction(in)
	if err != nil {
		return nil, err
	}
	if err := s.gw.dispatch(ctx, "INTERACTION_CREATE", p.Payload); err != nil {
		return nil, err
	}
	return p, nil
}

// SignRequest signs body as Discord signs HTTP interactions: Ed25519 over
// timestamp+body, hex encoded (the X-Signature-Ed25519 header value).
func SignRequest(key ed25519.PrivateKey, timestamp string, body []byte) string {
	msg := append([]byte(timestamp), body...)
	return hex.EncodeToString(ed25519.Sign(key, msg))
}

// DeliverHTTP sends in to an interactions endpoint (an outgoing webhook
// URL) the way Discord does, signed with key and stamped now, and records
// the endpoint's answer as the interaction's initial response. It returns
// the handle and the HTTP status of the endpoint's answer. A nil client
// means http.DefaultClient.
func (s *Server) DeliverHTTP(ctx context.Context, client *http.Client, endpoint string, key ed25519.PrivateKey, in Interaction) (*PendingInteraction, int, error) {
	p, err := s.PrepareInteraction(in)
	if err != nil {
		return nil, 0, err
	}
	// Discord gives the endpoint InteractionDeadline to answer.
	ctx, cancel := context.WithTimeout(ctx, s.opts.InteractionDeadline)
	defer cancel()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(p.Payload))
	if err != nil {
		return nil, 0, fmt.Errorf("discordfake: build interaction request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", SignRequest(key, ts, p.Payload))
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("discordfake: deliver interaction: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return p, resp.StatusCode, fmt.Errorf("discordfake: read endpoint answer: %w", err)
	}
	if resp.StatusCode == http.StatusOK {
		if st, ans := s.acknowledge(p.st, body); st >= 300 {
			return p, resp.StatusCode, fmt.Errorf("discordfake: endpoint answer refused: %d %v", st, ans)
		}
	}
	return p, resp.StatusCode, nil
}
