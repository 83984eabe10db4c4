package telegramfake

import (
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) getChat(p map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.resolveLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	ch := c.chat
	full := map[string]any{
		"id": ch.ID, "type": ch.Type, "accent_color_id": 0, "max_reaction_count": 11,
		"accepted_gift_types": map[string]bool{"unlimited_gifts": false, "limited_gifts": false,
			"unique_gifts": false, "premium_subscription": false, "gifts_from_channels": false},
	}
	for k, v := range map[string]string{"title": ch.Title, "username": ch.Username, "first_name": ch.FirstName, "last_name": ch.LastName} {
		if v != "" {
			full[k] = v
		}
	}
	if ch.IsForum {
		full["is_forum"] = true
	}
	return full, nil
}

func (s *Server) getChatMember(p map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.resolveLocked(p["chat_id"])
	if e != nil {
		return nil, e
	}
	uid := i64(p["user_id"])
	user, ok := s.users[uid]
	if uid == s.BotID {
		user, ok = s.bot, true
	}
	if !ok {
		return nil, badRequest("user not found")
	}
	return s.memberLocked(c, uid, user), nil
}

// memberLocked is uid's ChatMember object in c, in the shape of its status.
func (s *Server) memberLocked(c *chatState, uid int64, user User) map[string]any {
	st := s.statusLocked(c, uid)
	m := map[string]any{"status": st, "user": user}
	switch st {
	case Creator:
		m["is_anonymous"] = false
	case Administrator:
		for _, k := range []string{"can_be_edited", "is_anonymous"} {
			m[k] = false
		}
		for _, k := range []string{"can_manage_chat", "can_delete_messages", "can_manage_video_chats",
			"can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
			"can_post_stories", "can_edit_stories", "can_delete_stories"} {
			m[k] = true
		}
		if c.chat.Type == Channel {
			m["can_post_messages"], m["can_edit_messages"] = true, true
		} else {
			m["can_pin_messages"] = true
		}
	case Restricted:
		m["is_member"] = true
		for _, k := range []string{"can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
			"can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
			"can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages", "can_edit_tag",
			"can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics"} {
			m[k] = false
		}
		m["until_date"] = 0
	case Kicked:
		m["until_date"] = 0
	}
	return m
}

func (s *Server) getFile(p map[string]any) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[str(p["file_id"])]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.data) > 20<<20 {
		return nil, badRequest("file is too big")
	}
	return map[string]any{"file_id": f.id, "file_unique_id": f.uniqueID, "file_size": len(f.data), "file_path": f.path}, nil
}

// serveFile serves /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path == path {
			data, found = f.data, true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data) // the client hanging up is not the fake's concern
}
