package subscriptions

import (
	"fmt"
	"strings"
)

// Chat identifies a destination for alerts and the place a command came from:
// a platform ("telegram", "discord", "console"), the platform's chat id
// (Telegram chat id, Discord channel or thread id) and an optional thread
// (Telegram forum topic id, message_thread_id). Chat is comparable and is
// used as a map key.
type Chat struct {
	Platform string
	ID       string
	Thread   string
}

// String renders the chat as "platform:id" or "platform:id/thread"; it is the
// form used in Redis keys and logs and is parsed back by ParseChat.
func (c Chat) String() string {
	if c.Thread == "" {
		return c.Platform + ":" + c.ID
	}
	return c.Platform + ":" + c.ID + "/" + c.Thread
}

// ParseChat parses the form produced by Chat.String.
func ParseChat(s string) (Chat, error) {
	platform, rest, ok := strings.Cut(s, ":")
	if !ok || platform == "" || rest == "" {
		return Chat{}, fmt.Errorf("parse chat %q: want platform:id", s)
	}
	id, thread, _ := strings.Cut(rest, "/")
	if id == "" {
		return Chat{}, fmt.Errorf("parse chat %q: empty chat id", s)
	}
	return Chat{Platform: platform, ID: id, Thread: thread}, nil
}
