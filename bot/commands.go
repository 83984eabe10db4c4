package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// SourceManager adds and tests sources; *sources.Watcher implements it.
type SourceManager interface {
	Add(ctx context.Context, req sources.AddRequest) (sources.Added, error)
	Probe(ctx context.Context, rawURL string) (*sources.Probe, error)
}

// CommandsOptions wire the command layer to the stores it changes.
type CommandsOptions struct {
	Subscriptions *subscriptions.Store
	Chats         *subscriptions.Chats
	Registry      *sources.Registry
	Sources       SourceManager
	// Stats reports delivery figures for /stats; nil leaves them out.
	Stats Stats
	// Download fetches a linked file (an OPML list) through the safe
	// fetcher; nil refuses links.
	Download        func(ctx context.Context, url string) ([]byte, error)
	Stories         *sources.StoryStore
	Admins          []string // "platform:user_id" from NEWSALERT_ADMINS
	QueryLimits     query.Limits
	DefaultInterval time.Duration
	MinInterval     time.Duration
	// Memo makes commands that pick by position (/unsubscribe 2) repeat
	// their first choice when a request is run again; nil leaves them as
	// they are.
	Memo Memo
	// FetchTimeout bounds one feed fetch; slow commands quote it in their
	// acknowledgement ("Checking URL (up to 30 s)"). Default 30 s.
	FetchTimeout time.Duration
	Now          func() time.Time
	Logger       *slog.Logger
	Metrics      *metrics.Metrics
	// FoldThreshold is the fingerprint distance /test folds stories at
	// (NEWSALERT_DUPLICATE_THRESHOLD); 0 means the fingerprint default.
	FoldThreshold int
	// Dashboard issues /dashboard sign-in links; nil answers /dashboard
	// with how to enable it.
	Dashboard DashboardLinks
}

// Commands is the platform-neutral command layer: it implements Handler and
// Completer for every adapter.
type Commands struct {
	opts   CommandsOptions
	admins map[string]bool
	log    *slog.Logger
}

// NewCommands builds the command layer.
func NewCommands(opts CommandsOptions) *Commands {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.QueryLimits == (query.Limits{}) {
		opts.QueryLimits = query.DefaultLimits()
	}
	admins := make(map[string]bool, len(opts.Admins))
	for _, a := range opts.Admins {
		admins[a] = true
	}
	return &Commands{opts: opts, admins: admins, log: opts.Logger}
}

// errDenied carries a refusal's one-line reason.
type errDenied struct{ reason string }

func (e *errDenied) Error() string { return e.reason }

// Handle answers one command. It never returns an empty reply and never
// panics on user input.
func (c *Commands) Handle(ctx context.Context, req Request) (reply Reply) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("command panicked", "command", req.Command, "chat", req.Chat.String(), "panic", fmt.Sprint(r))
			reply = Reply{Text: "Something went wrong on our side; the error is logged. Please try again later.", Private: true}
		}
	}()
	c.reactivate(ctx, req.Chat, "a command came from the chat")
	args := strings.TrimSpace(req.Args)
	var text string
	var err error
	switch strings.ToLower(req.Command) {
	case "start":
		text = "Hi! I watch news sources and tell you when a story matches your topics. Try /subscribe \"north korea\" russia — /help lists every command."
	case "help":
		text = c.help(ctx, req)
	case "subscribe":
		text, err = c.subscribe(ctx, req, args)
	case "list":
		text, err = c.list(ctx, req)
	case "unsubscribe":
		text, err = c.unsubscribe(ctx, req, args)
	case "pause":
		text, err = c.pause(ctx, req, args, true)
	case "resume":
		text, err = c.pause(ctx, req, args, false)
	case "test":
		req.progress("Testing your query against the recent stories…")
		text, err = c.test(ctx, req, args)
	case "digest":
		text, err = c.digest(ctx, req, args)
	case "timezone":
		text, err = c.timezone(ctx, req, args)
	case "quiet":
		text, err = c.quiet(ctx, req, args)
	case "webhook":
		text, err = c.webhook(ctx, req, args)
	case "duplicates":
		text, err = c.duplicates(ctx, req, args)
	case "addsource":
		c.ackFetch(req, args)
		text, err = c.addSource(ctx, req, args)
	case "removesource":
		text, err = c.removeSource(ctx, req, args)
	case "sources":
		text, err = c.listSources(ctx, req)
	case "pausesource":
		text, err = c.setSourceState(ctx, req, args, sources.Paused)
	case "resumesource":
		text, err = c.setSourceState(ctx, req, args, sources.Active)
	case "testsource":
		c.ackFetch(req, args)
		text, err = c.testSource(ctx, req, args)
	case "stats":
		text, err = c.stats(ctx, req)
	case "importopml":
		req.progress("Importing the feeds of that OPML list (each checked for up to " + humanLimit(c.opts.FetchTimeout) + ")…")
		text, err = c.importOPML(ctx, req, args)
	case "dashboard":
		var r Reply
		r, err = c.dashboard(ctx, req, args)
		if err == nil {
			return r
		}
	case "exportopml":
		var r Reply
		r, err = c.exportOPML(ctx, req)
		if err == nil {
			return r
		}
	default:
		text = fmt.Sprintf("I don't know /%s. /help lists the commands.", req.Command)
	}
	if err != nil {
		var d *errDenied
		if errors.As(err, &d) {
			return Reply{Text: d.reason, Private: true}
		}
		c.log.Error("command failed", "command", req.Command, "chat", req.Chat.String(), "user", req.User.Key(), "err", err)
		return Reply{Text: "Sorry, that failed on our side (the error is logged). Please try again in a minute.", Private: true}
	}
	return Reply{Text: text, Private: isPrivateCommand(req.Command)}
}

// ackFetch reports the fetch a source command is about to make.
func (c *Commands) ackFetch(req Request, args string) {
	if u := firstField(args); u != "" {
		req.progress(checking(u, c.opts.FetchTimeout))
	}
}

func isPrivateCommand(cmd string) bool {
	switch cmd {
	case "help", "test", "sources", "testsource", "list", "stats", "webhook":
		return true
	}
	return false
}

// isAdmin reports whether the user is a bot admin.
func (c *Commands) isAdmin(u User) bool { return c.admins[u.Key()] }

// mayManageChat checks that the user may change the chat's subscriptions:
// anyone in a private chat, platform administrators of groups and channels,
// and bot admins.
func (c *Commands) mayManageChat(ctx context.Context, req Request) error {
	if req.ChatKind == Private || c.isAdmin(req.User) {
		return nil
	}
	if req.CanManageChat != nil {
		ok, err := req.CanManageChat(ctx)
		if err != nil {
			c.log.Warn("permission check failed", "chat", req.Chat.String(), "user", req.User.Key(), "err", err)
			return &errDenied{"I couldn't check your permissions just now; please try again in a minute."}
		}
		if ok {
			return nil
		}
	}
	if req.ChatKind == Channel {
		return &errDenied{"Only the channel's administrators can change its subscriptions."}
	}
	return &errDenied{"Only this chat's administrators can change its subscriptions; ask one of them."}
}

// mayManageSources checks that the user may manage sources.
func (c *Commands) mayManageSources(ctx context.Context, req Request) error {
	if c.isAdmin(req.User) {
		return nil
	}
	if req.CanManageSources != nil {
		if ok, err := req.CanManageSources(ctx); err == nil && ok {
			return nil
		}
	}
	return &errDenied{fmt.Sprintf("Only the bot's admins can manage sources. An operator can add you with NEWSALERT_ADMINS=%s.", req.User.Key())}
}

func (c *Commands) help(ctx context.Context, req Request) string {
	var b strings.Builder
	b.WriteString("Commands (example after each):\n")
	admin := c.isAdmin(req.User)
	for _, spec := range Catalog() {
		if (spec.Admin && !admin) || !spec.On(req.Chat.Platform) {
			continue
		}
		usage := "/" + spec.Name
		if spec.Usage != "" {
			usage += " " + spec.Usage
		}
		fmt.Fprintf(&b, "%s — %s\n   e.g. %s\n", usage, spec.Description, spec.Example)
	}
	b.WriteString("Queries: words are ANDed; \"quoted phrases\"; OR or |; -word excludes; word* prefix; title:word or text:word; parentheses.")
	if !admin {
		b.WriteString("\nSource commands are for the bot's admins.")
	}
	return b.String()
}
