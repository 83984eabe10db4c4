package bot

import (
	"context"
	"errors"
	"strings"
)

// Grant is what a dashboard sign-in link carries: the chat it opens, who
// asked, and what that user may do there, decided by the same rules as the
// commands when the link is issued.
type Grant struct {
	Chat     Chat
	ChatKind ChatKind
	User     User
	// ManageChat: the user may change the chat's subscriptions and settings.
	ManageChat bool
	// ManageSources: the user may manage sources and see the system page
	// (bot admins).
	ManageSources bool
}

// ErrNoPublicURL is returned by DashboardLinks.Link when the bot does not
// know the address it is reached at.
var ErrNoPublicURL = errors.New("no public url configured")

// DashboardLinks issues and revokes dashboard sign-in links (package
// bot/dashboard implements it).
type DashboardLinks interface {
	// Link returns a one-time sign-in link for g. It returns ErrNoPublicURL
	// when NEWSALERT_PUBLIC_URL is not set.
	Link(ctx context.Context, g Grant) (string, error)
	// Revoke ends every dashboard session and unused link of user and
	// returns how many it ended.
	Revoke(ctx context.Context, user User) (int, error)
	// DirectMessage sends text to the user's private conversation with the
	// bot (for a link asked for in a group on a platform without private
	// replies). It returns an error when that is not possible.
	DirectMessage(ctx context.Context, user User, text string) error
}

// dashboard answers /dashboard and /dashboard revoke. The link is always
// answered privately: an ephemeral reply where the platform has one, the
// user's private chat otherwise.
func (c *Commands) dashboard(ctx context.Context, req Request, args string) (Reply, error) {
	if c.opts.Dashboard == nil {
		return Reply{Text: noPublicURL, Private: true}, nil
	}
	if strings.EqualFold(args, "revoke") {
		n, err := c.opts.Dashboard.Revoke(ctx, req.User)
		if err != nil {
			return Reply{}, err
		}
		if n == 0 {
			return Reply{Text: "You had no dashboard sessions or links open.", Private: true}, nil
		}
		return Reply{Text: "Signed out: every dashboard session and unused link of yours is revoked.", Private: true}, nil
	}
	if args != "" {
		return Reply{Text: "Use /dashboard for a sign-in link, or /dashboard revoke to sign out everywhere.", Private: true}, nil
	}
	g := Grant{Chat: req.Chat, ChatKind: req.ChatKind, User: req.User,
		ManageChat: c.mayManageChat(ctx, req) == nil, ManageSources: c.mayManageSources(ctx, req) == nil}
	link, err := c.opts.Dashboard.Link(ctx, g)
	if errors.Is(err, ErrNoPublicURL) {
		return Reply{Text: noPublicURL, Private: true}, nil
	}
	if err != nil {
		return Reply{}, err
	}
	text := "Your dashboard for this chat (valid 15 minutes, usable once): " + link
	if req.ChatKind != Private && !privateRepliesOn(req.Chat.Platform) {
		if err := c.opts.Dashboard.DirectMessage(ctx, req.User, text); err != nil {
			c.log.Info("cannot send dashboard link privately", "user", req.User.Key(), "err", err)
			return Reply{Text: "I can't message you privately: open a private chat with me, press Start, then send /dashboard here again.", Private: true}, nil
		}
		return Reply{Text: "I sent you the dashboard link in a private message.", Private: true}, nil
	}
	return Reply{Text: text, Private: true}, nil
}

const noPublicURL = "The dashboard needs the address the bot is reached at: the operator sets NEWSALERT_PUBLIC_URL (e.g. https://news.example.org) and serves NEWSALERT_HTTP_ADDR there."

// privateRepliesOn reports whether the platform shows a Private reply to
// the caller alone (Discord ephemeral replies, the console).
func privateRepliesOn(platform string) bool { return platform != "telegram" }
