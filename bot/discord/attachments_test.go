package discord

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

func TestSourceImportExport(t *testing.T) {
	t.Parallel()
	opml, err := os.ReadFile("testdata/feeds.opml")
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, nil)
	rec := &recorder{reply: func(_ context.Context, req bot.Request) bot.Reply {
		if req.Command == "exportopml" {
			return bot.Reply{Text: "3 sources exported.", Private: true,
				File: &bot.Attachment{Name: "newsalert sources.opml", Data: opml}}
		}
		return bot.Reply{Text: "Imported."}
	}}
	a, logs := newAdapter(t, f, nil)
	connect(t, a)
	serve(t, a, rec)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	admin := discordfake.Interaction{Command: "source", GuildID: guildID, ChannelID: channelID, UserID: adminID, Permissions: permAdministrator}

	in := admin
	in.Subcommand = "import"
	in.Options = []discordfake.Option{{Name: "file", Value: discordfake.Attachment{Filename: "feeds.opml", ContentType: "text/x-opml", Data: opml}}}
	interaction(t, f, in)
	req := rec.last(t)
	if req.Command != "importopml" || req.Args != "" || req.Attachment == nil {
		t.Fatalf("import request %q %q %+v", req.Command, req.Args, req.Attachment)
	}
	if req.Attachment.Name != "feeds.opml" || !bytes.Equal(req.Attachment.Data, opml) {
		t.Errorf("attachment %q of %d bytes, want feeds.opml of %d", req.Attachment.Name, len(req.Attachment.Data), len(opml))
	}

	in.Options = []discordfake.Option{{Name: "url", Value: "https://example.com/feeds.opml"}}
	interaction(t, f, in)
	if req := rec.last(t); req.Command != "importopml" || req.Args != "https://example.com/feeds.opml" || req.Attachment != nil {
		t.Errorf("import by url: %q %q %+v", req.Command, req.Args, req.Attachment)
	}

	n := len(rec.requests)
	in.Options = []discordfake.Option{{Name: "file", Value: discordfake.Attachment{Filename: "big.opml", Data: make([]byte, maxAttachment+1)}}}
	_, cb := interaction(t, f, in)
	if len(rec.requests) != n || cb.Flags != 64 || !strings.Contains(cb.Content, "larger than 1024 KiB") {
		t.Errorf("oversized file: reply %q flags %d, handler called %v", cb.Content, cb.Flags, len(rec.requests) != n)
	}

	in.Subcommand, in.Options = "export", nil
	p, cb := interaction(t, f, in)
	if cb.Content != "3 sources exported." || cb.Flags != 64 {
		t.Errorf("export reply %q flags %d", cb.Content, cb.Flags)
	}
	if err := f.WaitFor(waitCtx(t), func() bool { return len(p.Followups()) == 1 }); err != nil {
		t.Fatal(err)
	}
	m := p.Followups()[0]
	if len(m.Files) != 1 || m.Files[0].Name != "newsalert_sources.opml" || !bytes.Equal(m.Files[0].Data, opml) || m.Flags != 64 {
		t.Errorf("export followup files %+v flags %d", m.Files, m.Flags)
	}
}

func TestAttachmentHosts(t *testing.T) {
	t.Parallel()
	a, err := New(Options{Token: secretToken(), APIURL: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]bool{
		"https://cdn.discordapp.com/attachments/1/2/feeds.opml?ex=1": true,
		"https://media.discordapp.net/attachments/1/2/feeds.opml":    true,
		"http://cdn.discordapp.com/attachments/1/2/feeds.opml":       false,
		"http://127.0.0.1:8080/attachments/1/feeds.opml":             true,
		"http://127.0.0.1:9999/attachments/1/feeds.opml":             false,
		"https://evil.example/feeds.opml":                            false,
		"http://169.254.169.254/latest/meta-data":                    false,
	} {
		u, _ := url.Parse(raw)
		if got := a.attachmentHost(u); got != want {
			t.Errorf("attachmentHost(%s) = %v, want %v", raw, got, want)
		}
	}
}
