package telegram

import (
	"context"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsalert/newsalert/bot"
)

// chatEvents tells ev what u says about a chat outside commands: a group
// upgraded to a supergroup (the service messages with migrate_to_chat_id
// or migrate_from_chat_id), or the bot's own membership changing
// (my_chat_member: added, removed, blocked, unblocked, promoted).
func (a *Adapter) chatEvents(ctx context.Context, ev bot.ChatEvents, u update) {
	if m := u.Message; m != nil && m.Chat != nil {
		switch {
		case m.MigrateToChatID != 0:
			a.log.InfoContext(ctx, "telegram group upgraded to a supergroup", "from", m.Chat.ID, "to", m.MigrateToChatID)
			ev.ChatMoved(ctx, chatOf(m.Chat.ID), chatOf(m.MigrateToChatID))
		case m.MigrateFromChatID != 0:
			ev.ChatMoved(ctx, chatOf(m.MigrateFromChatID), chatOf(m.Chat.ID))
		}
	}
	if cm := u.MyChatMember; cm != nil {
		chat := chatOf(cm.Chat.ID)
		if reason := unreachable(cm.Chat.Type, cm.NewChatMember); reason != "" {
			a.log.InfoContext(ctx, "telegram: the bot can no longer post in a chat", "chat", chat.String(), "reason", reason)
			ev.ChatUnreachable(ctx, chat, reason)
			return
		}
		ev.ChatReachable(ctx, chat)
	}
}

func chatOf(id int64) bot.Chat {
	return bot.Chat{Platform: Platform, ID: strconv.FormatInt(id, 10)}
}

// unreachable says why the bot, with membership m in a chat of type typ,
// cannot post there, or "" when it can.
func unreachable(typ string, m tgbotapi.ChatMember) string {
	switch m.Status {
	case "kicked":
		if typ == "private" {
			return "bot was blocked by the user"
		}
		return "bot was removed from the chat"
	case "left":
		return "bot was removed from the chat"
	case "restricted":
		if !m.IsMember || !m.CanSendMessages {
			return "bot may not send messages in the chat"
		}
	case "member":
		if typ == "channel" {
			return "bot needs administrator rights in the channel"
		}
	}
	return ""
}
