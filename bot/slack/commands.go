package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// The one slash command (slash commands share one namespace per workspace).
const slashCommand = "/newsalert"

// subcommands maps "/newsalert source add" and friends onto the bot's
// command names; any other first word is taken as a bot command itself
// (/newsalert subscribe ..., /newsalert list, /newsalert addsource ...).
var groupCommands = map[string]map[string]string{
	"source": {"add": "addsource", "remove": "removesource", "list": "sources", "pause": "pausesource",
		"resume": "resumesource", "test": "testsource", "import": "importopml", "export": "exportopml", "stats": "stats"},
	"opml": {"import": "importopml", "export": "exportopml"},
}

// slackLink is how Slack sends a link or mention in command text:
// <https://x|label>, <https://x>, <@U1|name>, <#C1|name>.
var slackLink = regexp.MustCompile(`<([^<>|]*)(?:\|[^<>]*)?>`)

// commandText undoes Slack's formatting of slash command text: links
// become their URL, entities their characters.
func commandText(s string) string {
	s = slackLink.ReplaceAllString(s, "$1")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// parseCommand splits /newsalert's text into a bot command and its raw
// arguments. Empty text asks for help.
func parseCommand(text string) (command, args string) {
	text = strings.TrimSpace(commandText(text))
	first, rest := cutWord(text)
	if first == "" {
		return "help", ""
	}
	first = strings.ToLower(strings.TrimPrefix(first, "/"))
	if sub, ok := groupCommands[first]; ok {
		second, rest2 := cutWord(rest)
		if second == "" {
			if first == "source" {
				return "sources", ""
			}
			return "help", ""
		}
		if name, ok := sub[strings.ToLower(second)]; ok {
			return name, rest2
		}
		return first + " " + second, rest2
	}
	return first, rest
}

func cutWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t\n")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i+1:])
}

// request builds the bot.Request of a slash command.
func (a *Adapter) request(cmd slack.SlashCommand) bot.Request {
	command, args := parseCommand(cmd.Text)
	req := bot.Request{
		Chat:    bot.Chat{Platform: Platform, ID: cmd.ChannelID},
		User:    bot.User{Platform: Platform, ID: cmd.UserID, Name: cmd.UserName},
		Command: command,
		Args:    args,
		ID:      Platform + ":" + cmd.TeamID + ":" + cmd.TriggerID,
	}
	if strings.HasPrefix(cmd.ChannelID, "D") {
		req.ChatKind = bot.Private
		req.CanManageChat = func(context.Context) (bool, error) { return true, nil }
		return req
	}
	req.ChatKind = bot.Group
	if a.opts.ChannelManagers == "admins" {
		req.CanManageChat = func(ctx context.Context) (bool, error) { return a.users.isAdmin(ctx, cmd.UserID) }
	} else {
		// Slack lets only the channel's members use a slash command in it.
		req.CanManageChat = func(context.Context) (bool, error) { return true, nil }
	}
	if a.opts.AdminsManageSources {
		req.CanManageSources = func(ctx context.Context) (bool, error) { return a.users.isAdmin(ctx, cmd.UserID) }
	}
	return req
}

// userCache remembers users.info's admin and owner flags for a few
// minutes, so that a burst of commands costs one tier-4 call per user.
type userCache struct {
	a  *Adapter
	mu sync.Mutex
	m  map[string]userEntry
}

type userEntry struct {
	admin bool
	at    time.Time
}

func newUserCache(a *Adapter) *userCache { return &userCache{a: a, m: map[string]userEntry{}} }

func (c *userCache) isAdmin(ctx context.Context, user string) (bool, error) {
	c.mu.Lock()
	e, ok := c.m[user]
	c.mu.Unlock()
	if ok && time.Since(e.at) < 5*time.Minute {
		return e.admin, nil
	}
	var u *slack.User
	err := c.a.call(ctx, "users.info", "", func(ctx context.Context) error {
		var err error
		u, err = c.a.api.GetUserInfoContext(ctx, user)
		return err
	})
	if err != nil {
		_, err = classify(ctx, err)
		return false, fmt.Errorf("slack: users.info %s: %w", user, err)
	}
	admin := (u.IsAdmin || u.IsOwner || u.IsPrimaryOwner) && !u.Deleted
	c.mu.Lock()
	if len(c.m) > 10000 {
		clear(c.m)
	}
	c.m[user] = userEntry{admin: admin, at: time.Now()}
	c.mu.Unlock()
	return admin, nil
}

// runCommand answers one slash command: the handler runs on the
// dispatcher (one chat's commands in order), the answer goes to the
// command's response_url as an ephemeral message, after a progress note
// when the command is slow.
func (a *Adapter) runCommand(ctx context.Context, cmd slack.SlashCommand) {
	if cmd.Command != "" && cmd.Command != slashCommand {
		a.log.Warn("slack: unknown slash command ignored", "command", cmd.Command)
		return
	}
	if !a.opts.Claim(ctx, cmd.TeamID+":"+cmd.TriggerID) {
		return
	}
	req := a.request(cmd)
	respond := func(ctx context.Context, text string, replace bool) {
		if err := a.respond(ctx, cmd.ResponseURL, text, replace); err != nil {
			a.log.Warn("slack: command reply failed", "chat", req.Chat.String(), "command", req.Command, "err", err)
		}
	}
	job := func(ctx context.Context) {
		ackCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		acks := make(chan string, 1)
		var wg sync.WaitGroup
		wg.Go(func() {
			select {
			case t := <-acks:
				respond(ackCtx, t, false)
			case <-ackCtx.Done():
			}
		})
		reply, acked := bot.HandleWithAck(ctx, a.handler, req, bot.DefaultAckDelay, func(t string) { acks <- t })
		if !acked {
			cancel() // no progress note to post
		}
		wg.Wait() // the progress note, when there is one, goes first
		cancel()
		respond(context.WithoutCancel(ctx), replyText(reply), acked)
	}
	if err := a.disp.Submit(ctx, req.Chat.String(), job); err != nil {
		a.log.Warn("slack: command dropped at shutdown", "chat", req.Chat.String(), "err", err)
	}
}

// commandRef is a command named the other platforms' way ("/subscribe")
// in a reply or the help.
var commandRef = regexp.MustCompile(`(^|[\s("'])/([a-z]+)\b`)

// slackSyntax rewrites the bot's commands in text to Slack's one slash
// command: "/subscribe x" becomes "/newsalert subscribe x". Paths in URLs
// are left alone.
func slackSyntax(text string) string {
	names := map[string]bool{}
	for _, c := range bot.Catalog() {
		names[c.Name] = true
	}
	return commandRef.ReplaceAllStringFunc(text, func(m string) string {
		sub := commandRef.FindStringSubmatch(m)
		if !names[sub[2]] {
			return m
		}
		return sub[1] + slashCommand + " " + sub[2]
	})
}

// replyText is the reply in mrkdwn, escaped, within one message; a file
// (the OPML export) follows as a code block when it fits.
func replyText(r bot.Reply) string {
	text := escape(slackSyntax(r.Text))
	if r.File != nil && len(r.File.Data) > 0 {
		body := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "```", "'''").Replace(string(r.File.Data))
		if len(text)+len(body) < 35000 {
			text += "\n" + escape(r.File.Name) + ":\n```" + body + "```"
		} else {
			text += "\n(The file is too large for a Slack message.)"
		}
	}
	return cutRunes(text, 39000)
}

// respond posts an ephemeral message to a command's response_url (a URL
// Slack hands out per command; it is never logged).
func (a *Adapter) respond(ctx context.Context, responseURL, text string, replace bool) error {
	if responseURL == "" {
		return fmt.Errorf("no response_url")
	}
	body, _ := json.Marshal(map[string]any{"response_type": "ephemeral", "text": text, "replace_original": replace})
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bad response_url")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.opts.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("post to response_url failed")
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("response_url answered %d", resp.StatusCode)
	}
	return nil
}
