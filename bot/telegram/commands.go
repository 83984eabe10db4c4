package telegram

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot"
)

// maxAttachment caps a file attached to a command (an OPML file).
const maxAttachment = 1 << 20

// message is a Bot API Message: the library's type plus the forum-topic
// fields it predates.
type message struct {
	tgbotapi.Message
	MessageThreadID int  `json:"message_thread_id"`
	IsTopicMessage  bool `json:"is_topic_message"`
}

// update is a Bot API Update with the kinds the adapter handles.
type update struct {
	UpdateID    int      `json:"update_id"`
	Message     *message `json:"message"`
	ChannelPost *message `json:"channel_post"`
	// MyChatMember is the bot's own membership changing in a chat.
	MyChatMember *tgbotapi.ChatMemberUpdated `json:"my_chat_member"`
}

// command is a parsed "/name@bot args".
type command struct {
	name, bot, args string
}

// parseCommand reads a command at the start of text: "/name", "/name@bot"
// then optional arguments. Names are 1-32 letters, digits or underscores,
// compared in lower case.
func parseCommand(text string) (command, bool) {
	rest, ok := strings.CutPrefix(text, "/")
	if !ok {
		return command{}, false
	}
	head, args := rest, ""
	if i := strings.IndexAny(rest, " \t\n"); i >= 0 {
		head, args = rest[:i], strings.TrimSpace(rest[i+1:])
	}
	name, botName, _ := strings.Cut(head, "@")
	if name == "" || len(name) > 32 {
		return command{}, false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return command{}, false
		}
	}
	return command{name: strings.ToLower(name), bot: botName, args: args}, true
}

func inCatalog(name string) bool {
	for _, c := range bot.Catalog() {
		if c.Name == name {
			return true
		}
	}
	return false
}

// channelCommands may name a channel ("/subscribe @channel QUERY") when sent
// in a private chat.
func channelCommand(name string) bool {
	switch name {
	case "subscribe", "list", "unsubscribe", "pause", "resume":
		return true
	}
	return false
}

func chatKind(typ string) (bot.ChatKind, bool) {
	switch typ {
	case "private":
		return bot.Private, true
	case "group", "supergroup":
		return bot.Group, true
	case "channel":
		return bot.Channel, true
	}
	return 0, false
}

func displayName(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" && u.UserName != "" {
		name = "@" + u.UserName
	}
	return name
}

func yes(context.Context) (bool, error) { return true, nil }

// handleUpdate turns an update into a command for h and queues the reply;
// j.done runs once the reply was delivered, or at once when there is none.
// Updates that are not commands for this bot are ignored.
func (a *Adapter) handleUpdate(ctx context.Context, h bot.Handler, rep *replies, u update, j *updateJob) {
	if ev, ok := h.(bot.ChatEvents); ok {
		a.chatEvents(ctx, ev, u)
	}
	switch {
	case u.Message != nil:
		a.handleMessage(ctx, h, rep, u.UpdateID, u.Message, false, j)
	case u.ChannelPost != nil:
		a.handleMessage(ctx, h, rep, u.UpdateID, u.ChannelPost, true, j)
	default:
		j.done()
	}
}

func (a *Adapter) handleMessage(ctx context.Context, h bot.Handler, rep *replies, updateID int, m *message, post bool, j *updateJob) {
	answered := false
	defer func() {
		if !answered {
			j.done()
		}
	}()
	if m.Chat == nil {
		return
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	cmd, ok := parseCommand(text)
	if !ok {
		return
	}
	if cmd.bot != "" && !strings.EqualFold(cmd.bot, a.botUsername()) {
		return // addressed to another bot
	}
	kind, ok := chatKind(m.Chat.Type)
	if !ok || (post && kind != bot.Channel) {
		return
	}
	if kind != bot.Private && cmd.bot == "" && !inCatalog(cmd.name) {
		return // in a shared chat an unknown bare command is likely another bot's
	}
	origin := bot.Chat{Platform: Platform, ID: strconv.FormatInt(m.Chat.ID, 10)}
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		origin.Thread = strconv.Itoa(m.MessageThreadID)
	}
	t := target{chatID: m.Chat.ID, key: origin.ID}
	if origin.Thread != "" {
		t.thread = m.MessageThreadID
	}
	replyTo := 0
	if kind == bot.Group {
		replyTo = m.MessageID
	}
	log := a.log.With("update_id", updateID, "chat", origin.String(), "command", cmd.name)
	respond := func(text string) {
		answered = true
		j.answered(ctx, t, replyTo, text)
		rep.send(t, replyTo, text, j.done)
	}
	req := bot.Request{Chat: origin, ChatKind: kind, Command: cmd.name, Args: cmd.args,
		ID: Platform + ":" + strconv.FormatInt(a.botID, 10) + ":" + strconv.Itoa(updateID)}
	switch {
	case post:
		req.User = bot.User{Platform: Platform, ID: origin.ID, Name: m.Chat.Title}
		req.CanManageChat = yes
	case m.From == nil:
		return
	default:
		req.User = bot.User{Platform: Platform, ID: strconv.FormatInt(m.From.ID, 10), Name: displayName(m.From)}
	}
	if kind == bot.Group {
		if m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID {
			req.CanManageChat = yes // an anonymous administrator of this group
			req.User.Name = m.Chat.Title
		} else if m.SenderChat != nil {
			req.CanManageChat = nil // a linked channel speaking in the group
		} else {
			chatID, userID := m.Chat.ID, m.From.ID
			req.CanManageChat = func(ctx context.Context) (bool, error) { return a.isAdmin(ctx, chatID, userID) }
		}
	}
	if kind == bot.Private && channelCommand(cmd.name) && strings.HasPrefix(cmd.args, "@") {
		name, rest := cmd.args, ""
		if i := strings.IndexFunc(cmd.args, unicode.IsSpace); i >= 0 {
			name, rest = cmd.args[:i], cmd.args[i:]
		}
		if !validUsername(name) {
			respond(name + " is not a channel name: use the channel's public @username.")
			return
		}
		channel, refusal := a.resolveChannel(ctx, name, m.From.ID)
		if refusal != "" {
			log.InfoContext(ctx, "telegram channel command refused", "channel", name)
			respond(refusal)
			return
		}
		req.Chat, req.ChatKind, req.Args, req.CanManageChat = channel, bot.Channel, strings.TrimSpace(rest), yes
	}
	if cmd.name == "importopml" {
		att, refusal := a.attachment(ctx, m)
		if refusal != "" {
			respond(refusal)
			return
		}
		req.Attachment = att
	}
	log.DebugContext(ctx, "telegram command", "target_chat", req.Chat.String())
	var ack *replyJob
	reply, acked := bot.HandleWithAck(ctx, h, req, a.ackDelay, func(text string) {
		ack = rep.ack(t, replyTo, text)
	})
	if !acked {
		respond(reply.Text)
		return
	}
	answered = true
	j.answered(ctx, t, replyTo, reply.Text)
	rep.finish(ack, reply.Text, j.done)
}

// validUsername reports whether s is "@" and a Telegram username: 4-32
// letters, digits and underscores, starting with a letter.
func validUsername(s string) bool {
	name, ok := strings.CutPrefix(s, "@")
	if !ok || len(name) < 4 || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '_')) {
			return false
		}
	}
	return true
}

// resolveChannel checks "/cmd @channel" from a private chat: the channel
// exists, userID administers it and the bot may post in it. It returns the
// channel, or a refusal to show the user.
func (a *Adapter) resolveChannel(ctx context.Context, name string, userID int64) (bot.Chat, string) {
	var ch tgbotapi.Chat
	if err := a.call(ctx, "getChat", map[string]any{"chat_id": name}, &ch); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Code == http.StatusBadRequest {
			return bot.Chat{}, "I can't find the channel " + name + ". Check the name; the channel must be public."
		}
		a.log.WarnContext(ctx, "telegram getChat failed", "channel", name, "err", err)
		return bot.Chat{}, "Telegram did not answer about " + name + "; please try again in a minute."
	}
	if ch.Type != "channel" {
		return bot.Chat{}, name + " is not a channel. In a group, send the command in the group itself."
	}
	user, err := a.member(ctx, ch.ID, userID)
	if err != nil {
		a.log.WarnContext(ctx, "telegram getChatMember failed", "channel", name, "err", err)
		return bot.Chat{}, "Telegram did not answer about " + name + "; please try again in a minute."
	}
	if !user.IsCreator() && !user.IsAdministrator() {
		return bot.Chat{}, "Only administrators of " + name + " can change its alerts."
	}
	me, err := a.member(ctx, ch.ID, a.botID)
	if err != nil || !(me.IsAdministrator() && me.CanPostMessages) {
		return bot.Chat{}, "Add me to " + name + " as an administrator who can post messages, then try again."
	}
	return bot.Chat{Platform: Platform, ID: strconv.FormatInt(ch.ID, 10)}, ""
}

func (a *Adapter) member(ctx context.Context, chatID, userID int64) (tgbotapi.ChatMember, error) {
	var m tgbotapi.ChatMember
	err := a.call(ctx, "getChatMember", map[string]any{"chat_id": chatID, "user_id": userID}, &m)
	return m, err
}

// isAdmin reports whether userID administers group chatID, from a cache of
// a minute.
func (a *Adapter) isAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	if admin, ok := a.admins.get(chatID, userID); ok {
		return admin, nil
	}
	m, err := a.member(ctx, chatID, userID)
	if err != nil {
		return false, err
	}
	admin := m.IsCreator() || m.IsAdministrator()
	a.admins.put(chatID, userID, admin)
	return admin, nil
}

// attachment downloads the document sent with /importopml (or the document
// the command replies to), capped at 1 MiB.
func (a *Adapter) attachment(ctx context.Context, m *message) (*bot.Attachment, string) {
	doc := m.Document
	if doc == nil && m.ReplyToMessage != nil {
		doc = m.ReplyToMessage.Document
	}
	if doc == nil {
		return nil, ""
	}
	const tooLarge = "The file is too large: send an OPML file of at most 1 MiB."
	if doc.FileSize > maxAttachment {
		return nil, tooLarge
	}
	var f tgbotapi.File
	if err := a.call(ctx, "getFile", map[string]any{"file_id": doc.FileID}, &f); err != nil {
		a.log.WarnContext(ctx, "telegram getFile failed", "err", err)
		return nil, "I could not fetch the file from Telegram; please send it again."
	}
	if f.FileSize > maxAttachment {
		return nil, tooLarge
	}
	data, err := a.download(ctx, f.FilePath, maxAttachment)
	if errors.Is(err, errFileTooLarge) {
		return nil, tooLarge
	}
	if err != nil {
		a.log.WarnContext(ctx, "telegram file download failed", "err", err)
		return nil, "I could not fetch the file from Telegram; please send it again."
	}
	return &bot.Attachment{Name: doc.FileName, Data: data}, ""
}

// adminCache remembers getChatMember answers for a while, bounded in size.
type adminCache struct {
	now func() time.Time
	ttl time.Duration
	max int

	mu      sync.Mutex
	entries map[[2]int64]adminEntry
}

type adminEntry struct {
	admin   bool
	expires time.Time
}

func newAdminCache(now func() time.Time, ttl time.Duration, max int) *adminCache {
	return &adminCache{now: now, ttl: ttl, max: max, entries: map[[2]int64]adminEntry{}}
}

func (c *adminCache) get(chatID, userID int64) (bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[[2]int64{chatID, userID}]
	if !ok || !c.now().Before(e.expires) {
		return false, false
	}
	return e.admin, true
}

func (c *adminCache) put(chatID, userID int64, admin bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[[2]int64{chatID, userID}] = adminEntry{admin: admin, expires: now.Add(c.ttl)}
}
