package main

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

// TestGroupMigratesToSupergroup subscribes a Telegram group, then upgrades
// it to a supergroup: first without the bot seeing the service messages
// (the next alert meets 400 with migrate_to_chat_id), then a second group
// with them. Either way the next matching story reaches the new chat id,
// and the subscriptions are listed there.
func TestGroupMigratesToSupergroup(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	quiet := telegramfake.Chat{ID: -4001, Type: telegramfake.Group, Title: "Quiet desk"}
	loud := telegramfake.Chat{ID: -4002, Type: telegramfake.Group, Title: "Loud desk"}
	for _, c := range []telegramfake.Chat{quiet, loud} {
		fake.AddChat(c)
		fake.SetChatMember(c.ID, tgUser.ID, telegramfake.Administrator)
	}
	f := &testFeed{}
	f.add("0", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	b := startTelegramBot(t, foldEnv(fake), "migrate")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Wire")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Wire")
	for _, c := range []telegramfake.Chat{quiet, loud} {
		fake.GroupMessage(c, tgUser, "/subscribe@newsalert_bot ukraine")
		waitText(t, fake, c.ID, 0, "Subscribed (#")
		fake.GroupMessage(c, tgUser, "/quiet@newsalert_bot 03:00-03:01")
		waitText(t, fake, c.ID, 0, "03:00")
	}
	f.add("1", "Ukraine grain talks resume", "Kyiv and Ankara resumed talks on Black Sea shipping.")
	waitText(t, fake, quiet.ID, 0, "Ukraine grain talks resume")
	waitText(t, fake, loud.ID, 0, "Ukraine grain talks resume")

	const quietSuper, loudSuper = -1004001, -1004002
	fake.MigrateGroup(quiet.ID, quietSuper, nil)
	fake.MigrateGroup(loud.ID, loudSuper, &tgUser)
	waitLog(t, b.logs, "chat moved: subscriptions and settings follow")

	f.add("2", "Ukraine wheat exports climb", "Shipments from Odesa rose for a third month.")
	waitText(t, fake, quietSuper, 0, "Ukraine wheat exports climb")
	waitText(t, fake, loudSuper, 0, "Ukraine wheat exports climb")

	for _, id := range []int64{quietSuper, loudSuper} {
		sg := telegramfake.Chat{ID: id, Type: telegramfake.Supergroup}
		fake.GroupMessage(sg, tgUser, "/list@newsalert_bot")
		waitText(t, fake, id, 0, "1. ukraine")
	}
	for _, c := range fake.Calls("sendMessage") {
		if id, _ := c.Params["chat_id"].(int64); id == loud.ID && c.Status != 200 {
			t.Errorf("the bot posted to the group after its upgrade announcement: %+v", c)
		}
	}
	for _, s := range fake.Sent() {
		if (s.ChatID == quietSuper || s.ChatID == loudSuper) && strings.Count(s.PlainText, "Ukraine wheat exports climb") > 1 {
			t.Errorf("alert repeated in %d: %q", s.ChatID, s.PlainText)
		}
	}
	if strings.Contains(b.logs.String(), "chat deactivated") {
		t.Errorf("a migrated group was deactivated:\n%s", b.logs.String())
	}
}

// TestBlockedChatIsShownAndComesBack blocks the bot in a private chat
// without telling it: the next alert is refused, the chat is deactivated,
// logged and listed in /stats for admins. When the user unblocks the bot
// (my_chat_member), alerts resume.
func TestBlockedChatIsShownAndComesBack(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	f := &testFeed{}
	f.add("0", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	b := startTelegramBot(t, foldEnv(fake), "blocked")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Wire")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Wire")
	fake.PrivateMessage(tgUser, "/subscribe ukraine")
	waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): ukraine")

	fake.SetChatMember(tgUser.ID, fake.BotID, telegramfake.Kicked) // blocked, no update
	f.add("1", "Ukraine grain talks resume", "Kyiv and Ankara resumed talks on Black Sea shipping.")
	waitLog(t, b.logs, "chat deactivated")
	fake.PrivateMessage(tgAdmin, "/stats")
	st := waitText(t, fake, tgAdmin.ID, 0, "Deactivated chats")
	if !strings.Contains(st.PlainText, "telegram:42") || !strings.Contains(st.PlainText, "blocked") {
		t.Errorf("/stats = %q, want the blocked chat and why", st.PlainText)
	}

	fake.SetChatMember(tgUser.ID, fake.BotID, telegramfake.Kicked)
	fake.SetBotStatus(tgUser.ID, telegramfake.Member, tgUser) // unblocked
	waitLog(t, b.logs, "chat reactivated")
	f.add("2", "Ukraine wheat exports climb", "Shipments from Odesa rose for a third month.")
	waitText(t, fake, tgUser.ID, 0, "Ukraine wheat exports climb")
	fake.PrivateMessage(tgAdmin, "/stats")
	deadline := time.Now().Add(15 * time.Second)
	for {
		var replies []string
		for _, s := range texts(sentTo(fake, tgAdmin.ID, 0)) {
			if strings.HasPrefix(s, "Sources:") {
				replies = append(replies, s)
			}
		}
		if len(replies) >= 2 {
			if last := replies[len(replies)-1]; strings.Contains(last, "Deactivated") {
				t.Errorf("/stats still lists a deactivated chat: %q", last)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no second /stats reply")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func texts(ss []telegramfake.Sent) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.PlainText
	}
	return out
}

// TestGoneChatIsRetried deactivates a chat whose platform refuses it and
// then, with no event saying it is back (a permission given in silence),
// tries its next alert after NEWSALERT_GONE_RETRY: accepted, the chat is
// reactivated.
func TestGoneChatIsRetried(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	f := &testFeed{}
	f.add("0", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	env := foldEnv(fake)
	env["NEWSALERT_GONE_RETRY"] = "2s"
	b := startTelegramBot(t, env, "retry")
	defer b.stop(t)
	waitLog(t, b.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Wire")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Wire")
	fake.PrivateMessage(tgUser, "/subscribe ukraine")
	waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): ukraine")
	fake.SetChatMember(tgUser.ID, fake.BotID, telegramfake.Kicked)
	f.add("1", "Ukraine grain talks resume", "Kyiv and Ankara resumed talks on Black Sea shipping.")
	waitLog(t, b.logs, "chat deactivated")
	fake.SetChatMember(tgUser.ID, fake.BotID, telegramfake.Member) // no update
	time.Sleep(2500 * time.Millisecond)                            // past NEWSALERT_GONE_RETRY
	f.add("2", "Ukraine wheat exports climb", "Shipments from Odesa rose for a third month.")
	waitText(t, fake, tgUser.ID, 0, "Ukraine wheat exports climb")
	waitLog(t, b.logs, "chat reactivated")
}
