package telegramfake

import "time"

// User is a Telegram user (or bot) as the Bot API encodes it.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name,omitempty"`
	Username  string `json:"username,omitempty"`
}

// Chat types, as in Chat.Type.
const (
	Private    = "private"
	Group      = "group"
	Supergroup = "supergroup"
	Channel    = "channel"
)

// Member statuses, as in ChatMember.status, for SetChatMember.
const (
	Creator       = "creator"
	Administrator = "administrator"
	Member        = "member"
	Restricted    = "restricted"
	Left          = "left"
	Kicked        = "kicked"
)

// Chat is a Telegram chat as the Bot API encodes it. Private chats have the
// user's id; groups, supergroups and channels negative ids (supergroups and
// channels -100…).
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// Document is a general file attached to a message.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// LinkPreviewOptions controls the link preview of a sent message.
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// Message is a message as the Bot API encodes it (the fields the fake
// models).
type Message struct {
	MessageID          int                 `json:"message_id"`
	MessageThreadID    int                 `json:"message_thread_id,omitempty"`
	From               *User               `json:"from,omitempty"`
	SenderChat         *Chat               `json:"sender_chat,omitempty"`
	Date               int64               `json:"date"`
	Chat               Chat                `json:"chat"`
	IsTopicMessage     bool                `json:"is_topic_message,omitempty"`
	ReplyToMessage     *Message            `json:"reply_to_message,omitempty"`
	EditDate           int64               `json:"edit_date,omitempty"`
	AuthorSignature    string              `json:"author_signature,omitempty"`
	Text               string              `json:"text,omitempty"`
	Entities           []Entity            `json:"entities,omitempty"`
	LinkPreviewOptions *LinkPreviewOptions `json:"link_preview_options,omitempty"`
	Document           *Document           `json:"document,omitempty"`
	Caption            string              `json:"caption,omitempty"`
	CaptionEntities    []Entity            `json:"caption_entities,omitempty"`
	// MigrateToChatID is set on the service message in a group that became
	// a supergroup; MigrateFromChatID on the one in the new supergroup.
	MigrateToChatID   int64 `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID int64 `json:"migrate_from_chat_id,omitempty"`
}

// ChatMemberUpdated is a change of a member's status; as my_chat_member it
// is the bot's own status in a chat (added, removed, blocked, unblocked).
type ChatMemberUpdated struct {
	Chat          Chat           `json:"chat"`
	From          User           `json:"from"`
	Date          int64          `json:"date"`
	OldChatMember map[string]any `json:"old_chat_member"`
	NewChatMember map[string]any `json:"new_chat_member"`
}

// Update is one incoming update. Exactly one of the optional fields is set.
type Update struct {
	UpdateID          int      `json:"update_id"`
	Message           *Message `json:"message,omitempty"`
	EditedMessage     *Message `json:"edited_message,omitempty"`
	ChannelPost       *Message `json:"channel_post,omitempty"`
	EditedChannelPost *Message `json:"edited_channel_post,omitempty"`
	// MyChatMember is the bot's own status change in a chat.
	MyChatMember *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// BotCommand is one entry of the bot's command menu.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// WebhookInfo is the webhook the bot set, if any.
type WebhookInfo struct {
	URL         string
	SecretToken string
	// AllowedUpdates is what setWebhook asked for (nil when not given).
	AllowedUpdates []string
}

// Sent is one accepted sendMessage or editMessageText call.
type Sent struct {
	Method          string // "sendMessage" or "editMessageText"
	ChatID          int64
	MessageThreadID int
	MessageID       int    // the message created or edited
	Text            string // as the bot sent it (HTML source in HTML mode)
	ParseMode       string
	PlainText       string   // the message text after entity parsing
	Entities        []Entity // as parsed (or as given with entities)
	LinkPreview     *LinkPreviewOptions
	ReplyTo         int // reply_parameters.message_id, 0 if none
	At              time.Time
}

// Call is one request the fake answered, successful or not.
type Call struct {
	Method      string         // canonical spelling, e.g. "getUpdates"
	Params      map[string]any // as converted by the spec (int64, string, bool, []any, map[string]any)
	Status      int            // HTTP status of the answer; 0 when the connection was cut or the request hung
	Description string         // the error description, empty on success
	At          time.Time
}

// Failure is an answer the fake gives instead of the real one, injected with
// Server.Fail.
type Failure struct {
	// Code is the error_code and HTTP status: 400, 403, 429, 500, 502...
	Code int
	// Description is the error description; a default in Telegram's words is
	// used when empty ("Too Many Requests: retry after N", "Internal Server
	// Error", ...).
	Description string
	// RetryAfter is parameters.retry_after in seconds, for 429s (default 1).
	RetryAfter int
	// Hang reads the request and then never answers until the client gives
	// up (a timeout after the request was written).
	Hang bool
	// Cut reads the request and then closes the connection without an
	// answer.
	Cut bool
}
