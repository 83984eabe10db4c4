package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type fakeLinks struct {
	grants  []Grant
	noURL   bool
	dm      []string
	dmErr   error
	revoked []User
}

func (f *fakeLinks) Link(ctx context.Context, g Grant) (string, error) {
	if f.noURL {
		return "", ErrNoPublicURL
	}
	f.grants = append(f.grants, g)
	return "https://news.example/ui/login/0123", nil
}

func (f *fakeLinks) Revoke(ctx context.Context, u User) (int, error) {
	f.revoked = append(f.revoked, u)
	return 2, nil
}

func (f *fakeLinks) DirectMessage(ctx context.Context, u User, text string) error {
	if f.dmErr != nil {
		return f.dmErr
	}
	f.dm = append(f.dm, u.Key()+" "+text)
	return nil
}

func TestDashboardCommand(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// Without a public URL it says how to set one.
	e.cmds.opts.Dashboard = &fakeLinks{noURL: true}
	r := e.cmds.Handle(ctx, Request{Chat: private.Chat, ChatKind: Private, User: private.User, Command: "dashboard"})
	if !r.Private || !strings.Contains(r.Text, "NEWSALERT_PUBLIC_URL") {
		t.Fatalf("no URL: %+v", r)
	}
	e.cmds.opts.Dashboard = nil
	if r := e.cmds.Handle(ctx, Request{Chat: private.Chat, ChatKind: Private, User: private.User, Command: "dashboard"}); !strings.Contains(r.Text, "NEWSALERT_PUBLIC_URL") {
		t.Fatalf("nil links: %+v", r)
	}

	links := &fakeLinks{}
	e.cmds.opts.Dashboard = links
	// A private chat gets the link, with the rights of the commands.
	r = e.cmds.Handle(ctx, Request{Chat: private.Chat, ChatKind: Private, User: private.User, Command: "dashboard"})
	if !r.Private || !strings.Contains(r.Text, "https://news.example/ui/login/0123") || !strings.Contains(r.Text, "15 minutes") {
		t.Fatalf("private: %+v", r)
	}
	if g := links.grants[0]; !g.ManageChat || g.ManageSources || g.Chat != private.Chat {
		t.Fatalf("private grant %+v", g)
	}
	r = e.cmds.Handle(ctx, Request{Chat: admin.Chat, ChatKind: Private, User: admin.User, Command: "dashboard"})
	if g := links.grants[1]; !g.ManageChat || !g.ManageSources {
		t.Fatalf("admin grant %+v", g)
	}
	// A Telegram group member: read-only grant, link sent to the private chat.
	req := member
	req.Command = "dashboard"
	r = e.cmds.Handle(ctx, req)
	if strings.Contains(r.Text, "/ui/login/") || !strings.Contains(r.Text, "private message") {
		t.Fatalf("group reply leaks the link: %+v", r)
	}
	if g := links.grants[2]; g.ManageChat || g.ManageSources || g.Chat != member.Chat {
		t.Fatalf("member grant %+v", g)
	}
	if len(links.dm) != 1 || !strings.HasPrefix(links.dm[0], "telegram:7 ") || !strings.Contains(links.dm[0], "/ui/login/") {
		t.Fatalf("dm %v", links.dm)
	}
	links.dmErr = errors.New("forbidden: bot can't initiate conversation")
	if r = e.cmds.Handle(ctx, req); !strings.Contains(r.Text, "open a private chat with me") {
		t.Fatalf("dm refused: %+v", r)
	}
	// Discord: an ephemeral reply carries the link.
	dreq := Request{Chat: Chat{Platform: "discord", ID: "5"}, ChatKind: Group, User: User{Platform: "discord", ID: "9"}, Command: "dashboard"}
	if r = e.cmds.Handle(ctx, dreq); !r.Private || !strings.Contains(r.Text, "/ui/login/") {
		t.Fatalf("discord: %+v", r)
	}
	// Revoke.
	r = e.cmds.Handle(ctx, Request{Chat: private.Chat, ChatKind: Private, User: private.User, Command: "dashboard", Args: "revoke"})
	if !r.Private || !strings.Contains(r.Text, "revoked") || len(links.revoked) != 1 || links.revoked[0] != private.User {
		t.Fatalf("revoke: %+v %v", r, links.revoked)
	}
}
