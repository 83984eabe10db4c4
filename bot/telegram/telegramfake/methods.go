package telegramfake

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
)

// maxMessageLen is the Bot API's limit on a message's text after entity
// parsing, in UTF-16 code units.
const maxMessageLen = 4096

// dispatch serves one validated call. params hold converted values.
func (s *Server) dispatch(r *http.Request, method string, params map[string]any) (any, *apiError) {
	switch strings.ToLower(method) {
	case "getme":
		return s.bot, nil
	case "getupdates":
		return s.getUpdates(r, params)
	case "setwebhook":
		return s.setWebhook(params)
	case "deletewebhook":
		return s.deleteWebhook(params)
	case "getwebhookinfo":
		return s.getWebhookInfo()
	case "setmycommands":
		return s.setMyCommands(params)
	case "getmycommands":
		s.mu.Lock()
		defer s.mu.Unlock()
		return append([]BotCommand{}, s.commands...), nil
	case "deletemycommands":
		s.mu.Lock()
		defer s.mu.Unlock()
		s.commands = nil
		return true, nil
	case "sendmessage":
		return s.sendMessage(params)
	case "editmessagetext":
		return s.editMessageText(params)
	case "getchat":
		return s.getChat(params)
	case "getchatmember":
		return s.getChatMember(params)
	case "getfile":
		return s.getFile(params)
	}
	return nil, badRequest("method %s is not implemented by telegramfake", method)
}

// resolveLocked finds the chat a chat_id parameter names (an id or
// "@username").
func (s *Server) resolveLocked(v any) (*chatState, *apiError) {
	switch x := v.(type) {
	case int64:
		if c, ok := s.chats[x]; ok {
			return c, nil
		}
	case string:
		if name, ok := strings.CutPrefix(x, "@"); ok {
			if id, ok := s.usernames[strings.ToLower(name)]; ok {
				return s.chats[id], nil
			}
		}
	}
	return nil, badRequest("chat not found")
}

// statusLocked is userID's membership status in c.
func (s *Server) statusLocked(c *chatState, userID int64) string {
	if st, ok := c.members[userID]; ok {
		return st
	}
	switch c.chat.Type {
	case Private:
		if userID == c.chat.ID || userID == s.BotID {
			return Member
		}
	case Group, Supergroup:
		if userID == s.BotID {
			return Member
		}
	}
	return Left
}

// canSendLocked reports why the bot may not post in c, in Telegram's words.
func (s *Server) canSendLocked(c *chatState) *apiError {
	if c.migratedTo != 0 {
		return &apiError{code: http.StatusBadRequest, description: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: c.migratedTo}
	}
	st := s.statusLocked(c, s.BotID)
	forbidden := func(d string) *apiError { return &apiError{code: http.StatusForbidden, description: "Forbidden: " + d} }
	switch c.chat.Type {
	case Private:
		if st == Kicked {
			return forbidden("bot was blocked by the user")
		}
	case Group, Supergroup:
		switch st {
		case Kicked:
			return forbidden("bot was kicked from the " + c.chat.Type + " chat")
		case Left:
			return forbidden("bot is not a member of the " + c.chat.Type + " chat")
		case Restricted:
			return badRequest("not enough rights to send text messages to the chat")
		}
	case Channel:
		switch st {
		case Kicked, Left:
			return forbidden("bot is not a member of the channel chat")
		case Administrator, Creator:
		default:
			return badRequest("need administrator rights in the channel chat")
		}
	}
	return nil
}

// parseText applies parse_mode to text and checks the length limits.
func parseText(text string, parseMode string, entities any) (string, []Entity, *apiError) {
	var (
		plain string
		ents  []Entity
	)
	switch strings.ToLower(parseMode) {
	case "":
		plain = text
		if entities != nil {
			var err error
			if ents, err = convertEntities(entities, text); err != nil {
				return "", nil, badRequest("can't parse entities: %v", err)
			}
		}
	case "html":
		var err error
		if plain, ents, err = ParseHTML(text); err != nil {
			return "", nil, badRequest("can't parse entities: %v", err)
		}
	case "markdown", "markdownv2":
		return "", nil, badRequest("parse_mode %s is not implemented by telegramfake", parseMode)
	default:
		return "", nil, badRequest("unsupported parse_mode")
	}
	if strings.TrimSpace(plain) == "" {
		return "", nil, badRequest("message text is empty")
	}
	if UTF16Len(plain) > maxMessageLen {
		return "", nil, badRequest("message is too long")
	}
	return plain, ents, nil
}

// convertEntities turns an already type-checked entities parameter into
// Entities and checks that they lie inside text.
func convertEntities(v any, text string) ([]Entity, error) {
	arr, _ := v.([]any)
	n := UTF16Len(text)
	out := make([]Entity, 0, len(arr))
	for i, x := range arr {
		m, _ := x.(map[string]any)
		e := Entity{Type: str(m["type"]), URL: str(m["url"]), Language: str(m["language"]), CustomEmojiID: str(m["custom_emoji_id"])}
		off, _ := m["offset"].(int64)
		length, _ := m["length"].(int64)
		e.Offset, e.Length = int(off), int(length)
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
			return nil, fmt.Errorf("entity %d is out of the text", i)
		}
		out = append(out, e)
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func i64(v any) int64 {
	n, _ := v.(int64)
	return n
}

func linkPreview(v any) *LinkPreviewOptions {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	b := func(k string) bool { x, _ := m[k].(bool); return x }
	return &LinkPreviewOptions{IsDisabled: b("is_disabled"), URL: str(m["url"]), PreferSmallMedia: b("prefer_small_media"),
		PreferLargeMedia: b("prefer_large_media"), ShowAboveText: b("show_above_text")}
}

func (s *Server) sendMessage(p map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.resolveLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	if e := s.canSendLocked(c); e != nil {
		return nil, e
	}
	thread := int(i64(p["message_thread_id"]))
	if thread != 0 && (!c.chat.IsForum || !c.topics[thread]) {
		return nil, badRequest("message thread not found")
	}
	var replyTo *Message
	if rp, ok := p["reply_parameters"].(map[string]any); ok {
		id := int(i64(rp["message_id"]))
		allow, _ := rp["allow_sending_without_reply"].(bool)
		replyTo = c.messages[id]
		if replyTo == nil && !allow {
			return nil, badRequest("message to be replied not found")
		}
	}
	text := str(p["text"])
	plain, ents, e := parseText(text, str(p["parse_mode"]), p["entities"])
	if e != nil {
		return nil, e
	}
	if s.limits != nil {
		if ok, after := s.limits.allow(s.now(), c.chat.ID); !ok {
			return nil, &apiError{code: http.StatusTooManyRequests, retryAfter: after,
				description: fmt.Sprintf("Too Many Requests: retry after %d", after)}
		}
	}
	c.nextMsg++
	msg := &Message{
		MessageID: c.nextMsg, From: ptr(s.bot), Date: s.now().Unix(), Chat: c.chat,
		MessageThreadID: thread, IsTopicMessage: thread != 0,
		Text: plain, Entities: ents, LinkPreviewOptions: linkPreview(p["link_preview_options"]),
	}
	if c.chat.Type == Channel {
		msg.From, msg.SenderChat = nil, ptr(c.chat)
	}
	if replyTo != nil {
		msg.ReplyToMessage = shallow(replyTo)
	}
	c.messages[msg.MessageID] = msg
	c.byBot[msg.MessageID] = true
	sent := Sent{Method: "sendMessage", ChatID: c.chat.ID, MessageThreadID: thread, MessageID: msg.MessageID,
		Text: text, ParseMode: str(p["parse_mode"]), PlainText: plain, Entities: ents,
		LinkPreview: msg.LinkPreviewOptions, At: s.now()}
	if replyTo != nil {
		sent.ReplyTo = replyTo.MessageID
	}
	s.sent = append(s.sent, sent)
	s.notifyLocked()
	return msg, nil
}

func ptr[T any](v T) *T { return &v }

// shallow copies m without its own reply, as the Bot API nests one level.
func shallow(m *Message) *Message {
	c := *m
	c.ReplyToMessage = nil
	return &c
}

func (s *Server) editMessageText(p map[string]any) (any, *apiError) {
	if _, ok := p["inline_message_id"]; ok {
		return nil, badRequest("inline messages are not implemented by telegramfake")
	}
	if _, ok := p["chat_id"]; !ok {
		return nil, badRequest("chat_id is empty")
	}
	if _, ok := p["message_id"]; !ok {
		return nil, badRequest("message identifier is not specified")
	}
	if _, ok := p["text"]; !ok {
		return nil, badRequest("message text is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.resolveLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	if c.migratedTo != 0 {
		return nil, &apiError{code: http.StatusBadRequest, description: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: c.migratedTo}
	}
	msg := c.messages[int(i64(p["message_id"]))]
	if msg == nil {
		return nil, badRequest("message to edit not found")
	}
	if !c.byBot[msg.MessageID] {
		return nil, badRequest("message can't be edited")
	}
	text := str(p["text"])
	plain, ents, e := parseText(text, str(p["parse_mode"]), p["entities"])
	if e != nil {
		return nil, e
	}
	preview := linkPreview(p["link_preview_options"])
	if plain == msg.Text && reflect.DeepEqual(ents, msg.Entities) && reflect.DeepEqual(preview, msg.LinkPreviewOptions) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	msg.Text, msg.Entities, msg.LinkPreviewOptions, msg.EditDate = plain, ents, preview, s.now().Unix()
	s.sent = append(s.sent, Sent{Method: "editMessageText", ChatID: c.chat.ID, MessageThreadID: msg.MessageThreadID,
		MessageID: msg.MessageID, Text: text, ParseMode: str(p["parse_mode"]), PlainText: plain, Entities: ents,
		LinkPreview: preview, At: s.now()})
	s.notifyLocked()
	return msg, nil
}

// validCommand reports whether name is a valid bot command: 1-32 lower-case
// English letters, digits and underscores.
func validCommand(name string) bool {
	if name == "" || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) setMyCommands(p map[string]any) (any, *apiError) {
	arr, _ := p["commands"].([]any)
	if len(arr) > 100 {
		return nil, badRequest("too many commands")
	}
	cmds := make([]BotCommand, 0, len(arr))
	for _, x := range arr {
		m, _ := x.(map[string]any)
		c := BotCommand{Command: str(m["command"]), Description: str(m["description"])}
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := UTF16Len(c.Description); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
		cmds = append(cmds, c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = cmds
	return true, nil
}

// readMultipart reads a multipart/form-data body into params; file parts are
// recorded as "attach://<file name>".
func readMultipart(body []byte, boundary string, params map[string]any) error {
	if boundary == "" {
		return fmt.Errorf("no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if part.FileName() != "" {
			params[part.FormName()] = "attach://" + part.FileName()
			continue
		}
		params[part.FormName()] = string(data)
	}
}
