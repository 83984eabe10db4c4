// Package bot holds everything about the chat bot that does not depend on a
// chat platform: the commands and their permissions, the alert model that
// adapters render, and delivery. A chat platform plugs in as an Adapter: it
// connects, turns platform events into Requests, and sends what bot hands it.
package bot

import (
	"context"
	"errors"
	"time"

	"github.com/newsalert/newsalert/subscriptions"
)

// Chat identifies a destination or the origin of a command.
type Chat = subscriptions.Chat

// ChatKind tells what sort of conversation a request came from, which decides
// who may change its subscriptions.
type ChatKind int

// Kinds of chat.
const (
	// Private is a one-to-one conversation with the bot (and the console).
	Private ChatKind = iota
	// Group is a multi-user chat: a Telegram group or supergroup (and its
	// forum topics) or a Discord guild channel or thread.
	Group
	// Channel is a broadcast channel (Telegram channels).
	Channel
)

// User is the person who sent a command.
type User struct {
	Platform string
	ID       string
	Name     string // display name, for replies and logs; may be empty
}

// Key renders the user as "platform:id", the form NEWSALERT_ADMINS uses.
func (u User) Key() string { return u.Platform + ":" + u.ID }

// Attachment is a file sent along with a command (an OPML file for
// /importopml). Data is already read and capped by the adapter.
type Attachment struct {
	Name string
	Data []byte
}

// Request is one command received by an adapter, already stripped of the
// platform's syntax: Command is the bare name ("subscribe", not
// "/subscribe@newsalert_bot"), Args the raw remainder of the text.
type Request struct {
	Chat     Chat
	ChatKind ChatKind
	User     User
	Command  string
	Args     string
	// Attachment is set when the user attached a file to the command.
	Attachment *Attachment
	// CanManageChat reports whether User may change Chat's subscriptions by
	// the platform's own rules (Telegram group administrator, Discord Manage
	// Channels). Nil means the platform grants nothing: only private chats
	// and bot admins may. Called only when a command needs it.
	CanManageChat func(ctx context.Context) (bool, error)
	// CanManageSources reports whether the platform grants User the right to
	// manage sources (Discord Manage Server when guild admins may manage
	// sources). Nil means only bot admins may.
	CanManageSources func(ctx context.Context) (bool, error)
	// ID names this request uniquely on its platform ("telegram:<bot>:<update
	// id>", "discord:<interaction id>"), so that a command run again for the
	// same request (after a crash) can repeat its first decision (see
	// Memo). Empty when the platform cannot deliver a request twice.
	ID string
	// Progress, when set, is called by a command that starts something slow
	// (fetching a feed, importing a list) with a one-line acknowledgement
	// such as "Checking https://… (up to 30 s)". The adapter shows it when
	// the answer is not ready soon (see HandleWithAck) and then replaces it
	// with the answer. It must not block.
	Progress func(text string)
}

// Reply is the answer to a Request: one or two lines of plain text (adapters
// escape it for their markup). Private asks for a reply only the caller sees
// where the platform has that (Discord ephemeral messages). File, when set,
// is sent along as a document (the OPML of /exportopml); an adapter that
// cannot send files prints or drops it and still sends Text.
type Reply struct {
	Text    string
	Private bool
	File    *Attachment
}

// Handler answers commands. Handle never returns an empty Reply: every
// command gets an answer. It is safe for concurrent use.
type Handler interface {
	Handle(ctx context.Context, req Request) Reply
}

// Choice is one autocompletion suggestion.
type Choice struct {
	Name  string // what the user sees
	Value string // what is filled in
}

// Completer suggests values for a command option while the user types
// (Discord autocomplete). Option is the option's name ("number", "id").
type Completer interface {
	Complete(ctx context.Context, req Request, option, partial string) []Choice
}

// Alert is one story for one chat, in a platform-neutral form that adapters
// render (Telegram HTML, Discord embeds, console text). All strings are plain
// text straight from feeds: adapters must escape every one of them.
type Alert struct {
	StoryID   string
	Title     string
	Link      string
	Source    string // the source's name
	Published time.Time
	Summary   string   // already fitted to the adapter's Limits().SummaryRunes
	Terms     []string // matched terms (normalised words or phrases) to highlight; see Highlight
	ImageURL  string
	// AlsoReportedBy lists other sources that carried the same story; set
	// when an earlier alert is edited.
	AlsoReportedBy []string
	// Location is the chat's time zone (/timezone) for showing Published;
	// nil means UTC.
	Location *time.Location
}

// Limits describe what an adapter can send in one message.
type Limits struct {
	// MaxBatch is how many alerts may share one message (Telegram 5, Discord
	// 10 embeds).
	MaxBatch int
	// SummaryRunes is the budget, in characters, for one alert's summary.
	SummaryRunes int
}

// Receipt identifies what a successful Send created, so that the alerts can
// be edited later. MessageIDs[i] is the platform message that carries
// batch[i] (several alerts may share one message).
type Receipt struct {
	MessageIDs []string
}

// Errors a Sender wraps so that delivery can tell what to do next. Test them
// with errors.Is.
var (
	// ErrChatGone means the chat no longer accepts messages from the bot
	// (blocked, kicked, deleted, missing access): its subscriptions are
	// deactivated and the alert is not retried.
	ErrChatGone = errors.New("chat is gone")
	// ErrOutcomeUnknown means the request may or may not have reached the
	// platform (timeout or connection cut after the request was written):
	// delivery must resolve it before any resend.
	ErrOutcomeUnknown = errors.New("outcome of send unknown")
)

// ChatMovedError means the chat has a new id on the platform (a Telegram
// group upgraded to a supergroup): its subscriptions and settings move to
// To, and the alert is sent there.
type ChatMovedError struct {
	To  Chat
	Err error
}

func (e *ChatMovedError) Error() string {
	return "chat moved to " + e.To.String() + ": " + e.Err.Error()
}

func (e *ChatMovedError) Unwrap() error { return e.Err }

// ChatEvents receives what a platform says about chats outside commands. A
// Handler may implement it; adapters call it when they see such an event.
type ChatEvents interface {
	// ChatMoved: chat from now has the id of to (Telegram
	// migrate_to_chat_id); its subscriptions and settings follow.
	ChatMoved(ctx context.Context, from, to Chat)
	// ChatReachable: the bot may post in chat again (re-added, unblocked,
	// given the permission); alerts resume if it was deactivated.
	ChatReachable(ctx context.Context, chat Chat)
	// ChatUnreachable: the bot was removed or blocked; alerts stop until
	// the chat is reachable again.
	ChatUnreachable(ctx context.Context, chat Chat, reason string)
}

// RetryAfterError asks the caller to wait After before trying the same chat
// again (a platform 429). Global is true when the whole bot was limited.
type RetryAfterError struct {
	After  time.Duration
	Global bool
	Err    error
}

func (e *RetryAfterError) Error() string {
	return "rate limited, retry after " + e.After.String() + ": " + e.Err.Error()
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// Sender delivers rendered alerts and notices to chats.
type Sender interface {
	// Send renders batch (at most Limits().MaxBatch alerts, all for chat) and
	// delivers it, pacing itself within the platform's published limits
	// (blocking, bounded by ctx, until it may send). It returns the receipt
	// on success. On failure retry reports whether the same batch may be
	// sent again later; errors wrap ErrChatGone, ErrOutcomeUnknown or
	// *RetryAfterError where they apply. Send never logs or returns a secret.
	Send(ctx context.Context, chat Chat, batch []Alert) (receipt Receipt, retry bool, err error)
	// Notify sends a short plain-text notice (a source failing, a reply to a
	// command outside Serve) with the same pacing and error contract.
	Notify(ctx context.Context, chat Chat, text string) (retry bool, err error)
}

// Editor changes an alert that was already delivered (to add "Also reported
// by"). Adapters whose platform cannot edit do not implement it.
type Editor interface {
	Edit(ctx context.Context, chat Chat, messageID string, batch []Alert) (retry bool, err error)
}

// Adapter is a chat platform plugged into the bot. Its lifecycle is Connect,
// then Serve (in its own goroutine) and Send/Notify (from delivery workers)
// concurrently, then Close.
type Adapter interface {
	Sender
	// Platform names the platform as in Chat.Platform and NEWSALERT_ADMINS.
	Platform() string
	// Limits tells delivery how to batch and how long summaries may be.
	Limits() Limits
	// Connect checks credentials and prepares the connection (Telegram
	// getMe and setMyCommands, Discord gateway and command registration).
	// It returns an error, never panics, when the platform refuses.
	Connect(ctx context.Context) error
	// Serve receives commands and answers each through h until ctx is done;
	// it returns nil on cancellation and an error only when it cannot go on.
	// It must not block shutdown: every platform call is bounded by ctx.
	Serve(ctx context.Context, h Handler) error
	// Close releases connections. It is called once, after Serve returned,
	// and is bounded by ctx.
	Close(ctx context.Context) error
}
