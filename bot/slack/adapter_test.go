package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	slackfake "github.com/newsalert/newsalert/internal/fakes/slack"
	"github.com/newsalert/newsalert/internal/secret"
)

const (
	testBot = "xoxb-1111-2222-unitunitunit"
	testApp = "xapp-1-A0NEWS-3333-unitunitunit"
)

// echo answers every command with its parsed form.
type echo struct{}

func (echo) Handle(ctx context.Context, req bot.Request) bot.Reply {
	manage := "-"
	if req.CanManageChat != nil {
		ok, err := req.CanManageChat(ctx)
		manage = map[bool]string{true: "manage", false: "no"}[ok]
		if err != nil {
			manage = "err"
		}
	}
	return bot.Reply{Text: req.Command + "|" + req.Args + "|" + manage + "|" + req.User.Key() + "|<!channel>"}
}

func startAdapter(t *testing.T, opts Options) (*slackfake.Fake, *Adapter, context.CancelFunc, chan error) {
	t.Helper()
	fake, err := slackfake.New(slackfake.Options{BotToken: testBot, AppToken: testApp, SigningSecret: "s3cr3ts3cr3ts3cr3t"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	opts.BotToken, opts.APIURL = secret.New(testBot), fake.APIURL()
	if opts.SigningSecret.IsZero() {
		opts.AppToken = secret.New(testApp)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, echo{}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return")
		}
	})
	if !opts.AppToken.IsZero() {
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		defer wcancel()
		if err := fake.WaitFor(wctx, func() bool { return fake.Connections() > 0 }); err != nil {
			t.Fatal("not connected")
		}
	}
	return fake, a, cancel, done
}

func TestSlashCommandsMapOntoBotCommands(t *testing.T) {
	fake, _, _, _ := startAdapter(t, Options{})
	fake.AddUser(slackfake.User{ID: "U1", Name: "bob"})
	tests := []struct{ text, want string }{
		{`subscribe "north korea" -sports`, `subscribe|"north korea" -sports|manage|slack:U1|`},
		{"list", "list||manage|slack:U1|"},
		{"source add <https://feeds.example/rss.xml> 5m BBC", "addsource|https://feeds.example/rss.xml 5m BBC|manage|slack:U1|"},
		{"source", "sources||manage|slack:U1|"},
		{"opml export", "exportopml||manage|slack:U1|"},
		{"", "help||manage|slack:U1|"},
		{"unsubscribe 2", "unsubscribe|2|manage|slack:U1|"},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{ChannelID: "C1", UserID: "U1", Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.WaitResponse(ctx, nil)
		cancel()
		if err != nil {
			t.Fatalf("%q: no answer", tt.text)
		}
		if !strings.HasPrefix(r.Text, tt.want) || !r.Ephemeral() || r.Via != "response_url" {
			t.Errorf("%q: answer %+v, want %q", tt.text, r, tt.want)
		}
		if strings.Contains(r.Text, "<!channel>") {
			t.Errorf("%q: reply not escaped: %q", tt.text, r.Text)
		}
	}
}

func TestSocketModeReconnectsOnRefresh(t *testing.T) {
	fake, _, _, _ := startAdapter(t, Options{})
	opened := fake.Stats().Calls["apps.connections.open"]
	fake.RequestRefresh()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// The old connection goes, a new one comes.
	if err := fake.WaitFor(ctx, func() bool { return fake.Stats().Calls["apps.connections.open"] > opened && fake.Connections() == 1 }); err != nil {
		t.Fatalf("no new connection after a refresh: %+v", fake.Stats())
	}
	var r slackfake.Response
	err := fake.WaitFor(ctx, func() bool {
		p, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{ChannelID: "C1", UserID: "U1", Text: "list"})
		if err != nil {
			return false
		}
		c, cc := context.WithTimeout(ctx, 3*time.Second)
		defer cc()
		r, err = p.WaitResponse(c, nil)
		return err == nil
	})
	if err != nil || !strings.HasPrefix(r.Text, "list|") {
		t.Fatalf("after a refresh: %+v %v", r, err)
	}
}

func TestWrongAppTokenStopsServe(t *testing.T) {
	fake, err := slackfake.New(slackfake.Options{BotToken: testBot, AppToken: testApp})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	a, _ := New(Options{BotToken: secret.New(testBot), AppToken: secret.New("xapp-1-A0NEWS-9999-wrongwrongwrong"), APIURL: fake.APIURL()})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	err = a.Serve(ctx, echo{})
	if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") || strings.Contains(err.Error(), "wrongwrong") {
		t.Errorf("Serve with a wrong app token: %v", err)
	}
}
