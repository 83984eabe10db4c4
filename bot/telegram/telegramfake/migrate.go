package telegramfake

// MigrateGroup upgrades group groupID to supergroup supergroupID, as
// Telegram does when a group gains a public link or more members: the
// supergroup gets the group's title and members, and the group refuses
// every message with 400 "group chat was upgraded to a supergroup chat"
// and parameters.migrate_to_chat_id. When by is not nil, the two service
// messages are queued as updates too (migrate_to_chat_id in the group,
// migrate_from_chat_id in the supergroup); nil models a bot that missed
// them.
func (s *Server) MigrateGroup(groupID, supergroupID int64, by *User) {
	s.tb.Helper()
	s.mu.Lock()
	old, ok := s.chats[groupID]
	if !ok || old.chat.Type != Group {
		s.mu.Unlock()
		s.tb.Errorf("telegramfake: MigrateGroup: %d is not a group", groupID)
		return
	}
	old.migratedTo = supergroupID
	sg := s.chatLocked(Chat{ID: supergroupID, Type: Supergroup, Title: old.chat.Title})
	for uid, st := range old.members {
		sg.members[uid] = st
	}
	var updates []Update
	if by != nil {
		from := s.newMessageLocked(old.chat, by, 0, "")
		from.MigrateToChatID = supergroupID
		to := s.newMessageLocked(sg.chat, by, 0, "")
		to.MigrateFromChatID = groupID
		updates = append(updates, Update{Message: ptr(*from)}, Update{Message: ptr(*to)})
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, u := range updates {
		s.AddUpdate(u)
	}
}

// SetBotStatus changes the bot's own status in chatID (Member,
// Administrator, Left, Kicked; in a private chat Kicked means the user
// blocked the bot) and queues the my_chat_member update Telegram sends,
// made by user by.
func (s *Server) SetBotStatus(chatID int64, status string, by User) {
	s.tb.Helper()
	s.mu.Lock()
	c, ok := s.chats[chatID]
	if !ok {
		s.mu.Unlock()
		s.tb.Errorf("telegramfake: SetBotStatus: no chat %d", chatID)
		return
	}
	oldMember := s.memberLocked(c, s.BotID, s.bot)
	c.members[s.BotID] = status
	newMember := s.memberLocked(c, s.BotID, s.bot)
	if _, known := s.users[by.ID]; !known {
		s.users[by.ID] = by
	}
	u := Update{MyChatMember: &ChatMemberUpdated{Chat: c.chat, From: by, Date: s.now().Unix(),
		OldChatMember: oldMember, NewChatMember: newMember}}
	s.mu.Unlock()
	if oldMember["status"] == newMember["status"] {
		s.tb.Errorf("telegramfake: SetBotStatus: the bot is already %s in %d", status, chatID)
		return
	}
	s.AddUpdate(u)
}
