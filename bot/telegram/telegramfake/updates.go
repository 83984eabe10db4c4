package telegramfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// AddChat registers c (or replaces its description). The bot is a member of
// groups and supergroups and not of channels until SetChatMember says
// otherwise; private chats exist once the user has written to the bot.
func (s *Server) AddChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(c)
}

func (s *Server) chatLocked(c Chat) *chatState {
	cs, ok := s.chats[c.ID]
	if !ok {
		cs = &chatState{members: map[int64]string{}, messages: map[int]*Message{}, byBot: map[int]bool{}, topics: map[int]bool{}}
		s.chats[c.ID] = cs
	}
	if cs.chat.Username != "" {
		delete(s.usernames, strings.ToLower(cs.chat.Username))
	}
	cs.chat = c
	if c.Username != "" {
		s.usernames[strings.ToLower(c.Username)] = c.ID
	}
	if c.Type == Private {
		if _, known := s.users[c.ID]; !known {
			s.users[c.ID] = User{ID: c.ID, FirstName: c.FirstName, LastName: c.LastName, Username: c.Username}
		}
	}
	return cs
}

// AddTopic creates forum topic threadID in chat chatID (which becomes a
// forum supergroup if it was not).
func (s *Server) AddTopic(chatID int64, threadID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.chats[chatID]
	if !ok {
		cs = s.chatLocked(Chat{ID: chatID, Type: Supergroup, Title: fmt.Sprintf("Forum %d", chatID)})
	}
	cs.chat.Type, cs.chat.IsForum = Supergroup, true
	cs.topics[threadID] = true
}

// SetChatMember sets userID's status (Creator, Administrator, Member,
// Restricted, Left, Kicked) in chatID, for getChatMember and for what the bot
// may do: the bot posts in a channel only as an administrator, and a bot
// Kicked from a private chat is blocked by that user. Unknown chats are
// created as supergroups when chatID is negative, private chats otherwise.
func (s *Server) SetChatMember(chatID, userID int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.chats[chatID]
	if !ok {
		typ := Supergroup
		if chatID > 0 {
			typ = Private
		}
		cs = s.chatLocked(Chat{ID: chatID, Type: typ, Title: fmt.Sprintf("Chat %d", chatID)})
	}
	if _, known := s.users[userID]; !known && userID != s.BotID {
		s.users[userID] = User{ID: userID, FirstName: fmt.Sprintf("User %d", userID)}
	}
	cs.members[userID] = status
}

// AddUpdate queues u for getUpdates or the webhook and returns its
// update_id (assigned when u.UpdateID is zero). The update must match the
// spec's Update type; a mismatch fails the test.
func (s *Server) AddUpdate(u Update) int {
	s.tb.Helper()
	raw, err := json.Marshal(u)
	if err == nil {
		var v any
		if err = decodeJSON(string(raw), &v); err == nil {
			err = s.spec.checkValue([]string{"Update"}, v)
		}
	}
	if err != nil {
		s.tb.Errorf("telegramfake: AddUpdate: update does not match the Bot API spec: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UpdateID == 0 {
		s.nextUpdateID++
		u.UpdateID = s.nextUpdateID
	} else if u.UpdateID > s.nextUpdateID {
		s.nextUpdateID = u.UpdateID
	}
	s.updates = append(s.updates, u)
	s.notifyLocked()
	return u.UpdateID
}

// commandEntities marks a leading /command the way Telegram does.
func commandEntities(text string) []Entity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexAny(text, " \t\n")
	if end < 0 {
		end = len(text)
	}
	if end < 2 {
		return nil
	}
	return []Entity{{Type: "bot_command", Offset: 0, Length: UTF16Len(text[:end])}}
}

// newMessageLocked stores a message from a user (or a channel post when from
// is nil) in chat and returns it.
func (s *Server) newMessageLocked(c Chat, from *User, thread int, text string) *Message {
	cs := s.chatLocked(c)
	if from != nil {
		s.users[from.ID] = *from
		if _, ok := cs.members[from.ID]; !ok && c.Type != Private {
			cs.members[from.ID] = Member
		}
	}
	if thread != 0 {
		cs.topics[thread] = true
		cs.chat.IsForum = true
	}
	cs.nextMsg++
	m := &Message{MessageID: cs.nextMsg, From: from, Date: s.now().Unix(), Chat: cs.chat,
		MessageThreadID: thread, IsTopicMessage: thread != 0, Text: text, Entities: commandEntities(text)}
	if from == nil {
		m.SenderChat = ptr(cs.chat)
	}
	cs.messages[m.MessageID] = m
	return m
}

func (s *Server) inject(kind string, c Chat, from *User, thread int, text string, edit func(*Message)) Message {
	s.tb.Helper()
	s.mu.Lock()
	m := s.newMessageLocked(c, from, thread, text)
	if edit != nil {
		edit(m)
	}
	cp := *m
	s.mu.Unlock()
	u := Update{}
	if kind == "channel_post" {
		u.ChannelPost = &cp
	} else {
		u.Message = &cp
	}
	s.AddUpdate(u)
	return cp
}

// PrivateMessage queues a message from user in their private chat with the
// bot and returns it.
func (s *Server) PrivateMessage(from User, text string) Message {
	s.tb.Helper()
	c := Chat{ID: from.ID, Type: Private, FirstName: from.FirstName, LastName: from.LastName, Username: from.Username}
	return s.inject("message", c, &from, 0, text, nil)
}

// GroupMessage queues a message from user in chat (a group or supergroup).
func (s *Server) GroupMessage(chat Chat, from User, text string) Message {
	s.tb.Helper()
	return s.inject("message", chat, &from, 0, text, nil)
}

// AnonymousAdminMessage queues a message an anonymous administrator sent
// on behalf of chat: its sender is GroupAnonymousBot and sender_chat is chat.
func (s *Server) AnonymousAdminMessage(chat Chat, text string) Message {
	s.tb.Helper()
	anon := User{ID: 1087968824, IsBot: true, FirstName: "Group", Username: "GroupAnonymousBot"}
	return s.inject("message", chat, &anon, 0, text, func(m *Message) { m.SenderChat = ptr(m.Chat) })
}

// TopicMessage queues a message from user in forum topic threadID of chat, a
// forum supergroup.
func (s *Server) TopicMessage(chat Chat, threadID int, from User, text string) Message {
	s.tb.Helper()
	chat.Type, chat.IsForum = Supergroup, true
	return s.inject("message", chat, &from, threadID, text, nil)
}

// ChannelPost queues a post in channel chat (a channel_post update).
func (s *Server) ChannelPost(chat Chat, text string) Message {
	s.tb.Helper()
	chat.Type = Channel
	return s.inject("channel_post", chat, nil, 0, text, nil)
}

// DocumentMessage queues a message from user in chat carrying a document
// named fileName with content data and caption; getFile and the file path
// serve data.
func (s *Server) DocumentMessage(chat Chat, from User, caption, fileName string, data []byte) Message {
	s.tb.Helper()
	s.mu.Lock()
	s.nextFile++
	f := fileEntry{id: fmt.Sprintf("BQACAgIAAxkBAAI%06d", s.nextFile), uniqueID: fmt.Sprintf("AgAD%06d", s.nextFile),
		path: fmt.Sprintf("documents/file_%d%s", s.nextFile, extension(fileName)), data: append([]byte(nil), data...)}
	s.files[f.id] = f
	s.mu.Unlock()
	return s.inject("message", chat, &from, 0, "", func(m *Message) {
		m.Document = &Document{FileID: f.id, FileUniqueID: f.uniqueID, FileName: fileName, MimeType: "application/octet-stream", FileSize: int64(len(data))}
		m.Caption, m.CaptionEntities = caption, commandEntities(caption)
	})
}

func extension(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && i < len(name)-1 && !strings.ContainsAny(name[i:], "/ ") {
		return name[i:]
	}
	return ""
}

// PendingUpdates returns how many updates the bot has not confirmed yet.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

type pollWaiter struct{ terminated chan struct{} }

// OverlappingPolls returns how many getUpdates calls arrived while another
// was still waiting for updates: two bot processes polling at once (the
// real Bot API then ends the older call with 409 Conflict, as the fake
// does).
func (s *Server) OverlappingPolls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.overlaps
}

// confirmLocked forgets the updates an offset confirms.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.updates) && int64(s.updates[i].UpdateID) < offset {
			i++
		}
		s.updates = s.updates[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(s.updates) {
			s.updates = s.updates[len(s.updates)-keep:]
		}
	}
}

func (s *Server) getUpdates(r *http.Request, p map[string]any) (any, *apiError) {
	limit := 100
	if l, ok := p["limit"].(int64); ok && l >= 1 && l <= 100 {
		limit = int(l)
	}
	timeout := time.Duration(i64(p["timeout"])) * time.Second
	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		return nil, &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if s.poll != nil {
		s.overlaps++
		close(s.poll.terminated)
	}
	me := &pollWaiter{terminated: make(chan struct{})}
	s.poll = me
	s.confirmLocked(i64(p["offset"]))
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.poll == me {
			s.poll = nil
		}
		s.mu.Unlock()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		n := min(limit, len(s.updates))
		got := append([]Update{}, s.updates[:n]...)
		ch := s.changed
		s.mu.Unlock()
		if len(got) > 0 || timeout <= 0 {
			return got, nil
		}
		select {
		case <-ch:
		case <-me.terminated:
			return nil, &apiError{code: http.StatusConflict, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
		case <-timer.C:
			timeout = 0
		case <-r.Context().Done():
			return nil, &apiError{code: 499, description: "client closed request"}
		case <-s.done:
			return []Update{}, nil
		}
	}
}
