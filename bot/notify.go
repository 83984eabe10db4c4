package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// SourceNotifier tells the admin who added a source, in the chat they added
// it from, when it fails, recovers or disappears. It implements
// sources.Notifier.
type SourceNotifier struct {
	senders map[string]Sender
	log     *slog.Logger
}

// NewSourceNotifier sends notices through the adapter of each platform.
func NewSourceNotifier(senders map[string]Sender, log *slog.Logger) *SourceNotifier {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SourceNotifier{senders: senders, log: log}
}

// SourceNotice implements sources.Notifier. Failures are logged: a notice
// is not worth blocking a poll for.
func (n *SourceNotifier) SourceNotice(ctx context.Context, src sources.Source, text string) {
	chat, err := subscriptions.ParseChat(src.AddedIn)
	if err != nil {
		n.log.Info("source notice has no chat to go to", "source_id", src.ID, "notice", text)
		return
	}
	s, ok := n.senders[chat.Platform]
	if !ok {
		n.log.Info("source notice for a platform not running", "source_id", src.ID, "chat", chat.String(), "notice", text)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := s.Notify(ctx, chat, text); err != nil {
		n.log.Warn("cannot deliver source notice", "source_id", src.ID, "chat", chat.String(), "err", err)
	}
}
