package discordfake

import (
	"encoding/json"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// Message is a message as the fake stored it.
type Message struct {
	ID              string
	ChannelID       string
	Content         string
	Embeds          []Embed
	AllowedMentions *AllowedMentions // nil when the last request did not set it
	Flags           int
	Nonce           string
	WebhookID       string // set for webhook executions, followups and interaction responses
	InteractionID   string // set for interaction responses and followups
	Edits           int
	Deleted         bool
	Created         time.Time
	// Bodies holds the JSON of the request that created the message and of
	// every edit, in order.
	Bodies []json.RawMessage
	// Files are the files uploaded with the message (multipart files[n]).
	Files []File
}

// File is an uploaded file.
type File struct {
	Name string
	Data []byte
}

// Embed is a rich embed.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Color       int          `json:"color,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Thumbnail   *EmbedMedia  `json:"thumbnail,omitempty"`
	Image       *EmbedMedia  `json:"image,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
}

// EmbedAuthor is an embed's author line.
type EmbedAuthor struct {
	Name    string `json:"name,omitempty"`
	URL     string `json:"url,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text    string `json:"text,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedMedia is an embed's thumbnail or image.
type EmbedMedia struct {
	URL string `json:"url,omitempty"`
}

// EmbedField is one embed field.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// AllowedMentions is a message's allowed_mentions object. Parse is nil when
// the key was absent and points to an empty slice for "parse": [].
type AllowedMentions struct {
	Parse       *[]string `json:"parse"`
	Users       []string  `json:"users"`
	Roles       []string  `json:"roles"`
	RepliedUser bool      `json:"replied_user"`
}

// Chars counts an embed the way Discord's 6000-character limit does: title,
// description, field names and values, footer text and author name.
func (e Embed) Chars() int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

var mentionRE = regexp.MustCompile(`@everyone|@here|<@!?(\d+)>|<@&(\d+)>`)

// Pings lists the mentions in the message's content that Discord would
// notify, given its allowed_mentions (absent allowed_mentions allows every
// kind, as on Discord). Mentions inside embeds never notify.
func (m Message) Pings() []string {
	var out []string
	allow := func(kind, id string, explicit []string) bool {
		if m.AllowedMentions == nil {
			return true
		}
		if m.AllowedMentions.Parse != nil && slices.Contains(*m.AllowedMentions.Parse, kind) {
			return true
		}
		return id != "" && slices.Contains(explicit, id)
	}
	for _, g := range mentionRE.FindAllStringSubmatch(m.Content, -1) {
		switch {
		case g[0] == "@everyone" || g[0] == "@here":
			if allow("everyone", "", nil) {
				out = append(out, g[0])
			}
		case g[1] != "":
			var users []string
			if m.AllowedMentions != nil {
				users = m.AllowedMentions.Users
			}
			if allow("users", g[1], users) {
				out = append(out, g[0])
			}
		case g[2] != "":
			var roles []string
			if m.AllowedMentions != nil {
				roles = m.AllowedMentions.Roles
			}
			if allow("roles", g[2], roles) {
				out = append(out, g[0])
			}
		}
	}
	return out
}

func (m *Message) clone() Message {
	c := *m
	c.Embeds = slices.Clone(m.Embeds)
	c.Bodies = slices.Clone(m.Bodies)
	c.Files = slices.Clone(m.Files)
	if m.AllowedMentions != nil {
		am := *m.AllowedMentions
		c.AllowedMentions = &am
	}
	return c
}

// messageBody is the part of a create or edit body the fake stores.
type messageBody struct {
	Content         *string          `json:"content"`
	Embeds          *[]Embed         `json:"embeds"`
	AllowedMentions *AllowedMentions `json:"allowed_mentions"`
	Flags           *int             `json:"flags"`
	Nonce           json.RawMessage  `json:"nonce"`
	EnforceNonce    bool             `json:"enforce_nonce"`
	Components      []any            `json:"components"`
	StickerIDs      []any            `json:"sticker_ids"`
	Attachments     []any            `json:"attachments"`
	Poll            any              `json:"poll"`
}

func (b messageBody) empty() bool {
	return (b.Content == nil || *b.Content == "") && (b.Embeds == nil || len(*b.Embeds) == 0) &&
		len(b.Components) == 0 && len(b.StickerIDs) == 0 && len(b.Attachments) == 0 && b.Poll == nil
}

func (b messageBody) nonce() string {
	if len(b.Nonce) == 0 || string(b.Nonce) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(b.Nonce, &s) == nil {
		return s
	}
	return string(b.Nonce)
}

// apply copies the fields present in b onto m.
func (b messageBody) apply(m *Message, raw []byte) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds = slices.Clone(*b.Embeds)
	}
	if b.AllowedMentions != nil {
		am := *b.AllowedMentions
		m.AllowedMentions = &am
	}
	if b.Flags != nil {
		m.Flags = *b.Flags
	}
	m.Bodies = append(m.Bodies, append(json.RawMessage(nil), raw...))
}

// response renders m as Discord's message object.
func (m *Message) response(botID, botName string) map[string]any {
	embeds := m.Embeds
	if embeds == nil {
		embeds = []Embed{}
	}
	out := map[string]any{
		"id":          m.ID,
		"type":        0,
		"channel_id":  m.ChannelID,
		"content":     m.Content,
		"embeds":      embeds,
		"flags":       m.Flags,
		"timestamp":   m.Created.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"author":      map[string]any{"id": botID, "username": botName, "bot": true, "discriminator": "0000"},
		"mentions":    []any{},
		"attachments": []any{},
		"tts":         false,
		"pinned":      false,
	}
	if m.Nonce != "" {
		out["nonce"] = m.Nonce
	}
	if m.WebhookID != "" {
		out["webhook_id"] = m.WebhookID
	}
	if m.Edits > 0 {
		out["edited_timestamp"] = time.Now().UTC().Format("2006-01-02T15:04:05.000000+00:00")
	}
	return out
}
