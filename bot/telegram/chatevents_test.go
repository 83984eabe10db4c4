package telegram

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
)

// eventRecorder is a recorder that also records chat events.
type eventRecorder struct {
	*recorder
	mu     sync.Mutex
	events []string
}

func (r *eventRecorder) ChatMoved(_ context.Context, from, to bot.Chat) {
	r.add(fmt.Sprintf("moved %s -> %s", from, to))
}

func (r *eventRecorder) ChatReachable(_ context.Context, c bot.Chat) {
	r.add("reachable " + c.String())
}

func (r *eventRecorder) ChatUnreachable(_ context.Context, c bot.Chat, reason string) {
	r.add("unreachable " + c.String() + ": " + reason)
}

func (r *eventRecorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

func (r *eventRecorder) waitEvents(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		got := append([]string(nil), r.events...)
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("events %q, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestChatEvents: the group upgrade's service messages, and the bot being
// blocked and unblocked (my_chat_member), reach the handler as chat events.
func TestChatEvents(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	rec := &eventRecorder{recorder: newRecorder()}
	e.serve(a, rec)
	user := telegramfake.User{ID: 42, FirstName: "Lin"}
	group := telegramfake.Chat{ID: -4001, Type: telegramfake.Group, Title: "Desk"}
	e.fake.AddChat(group)
	e.fake.PrivateMessage(user, "hello")
	e.fake.MigrateGroup(group.ID, -1004001, &user)
	e.fake.SetBotStatus(user.ID, telegramfake.Kicked, user)
	e.fake.SetBotStatus(user.ID, telegramfake.Member, user)
	got := rec.waitEvents(t, 4)
	want := []string{
		"moved telegram:-4001 -> telegram:-1004001",
		"moved telegram:-4001 -> telegram:-1004001",
		"unreachable telegram:42: bot was blocked by the user",
		"reachable telegram:42",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestSendToUpgradedGroup: a send to a group that became a supergroup
// fails with *bot.ChatMovedError naming the new chat, to be retried there.
func TestSendToUpgradedGroup(t *testing.T) {
	e := newEnv(t, telegramfake.Options{})
	a := e.adapter(nil)
	group := telegramfake.Chat{ID: -4001, Type: telegramfake.Group, Title: "Desk"}
	e.fake.AddChat(group)
	e.fake.MigrateGroup(group.ID, -1004001, nil)
	_, retry, err := a.Send(context.Background(), bot.Chat{Platform: Platform, ID: "-4001"}, []bot.Alert{{StoryID: "s", Title: "Grain", Link: "https://x.example/1", Source: "Wire"}})
	var moved *bot.ChatMovedError
	if !errors.As(err, &moved) || moved.To != (bot.Chat{Platform: Platform, ID: "-1004001"}) || !retry {
		t.Fatalf("Send = retry %v, %v; want a retryable move to -1004001", retry, err)
	}
	if errors.Is(err, bot.ErrChatGone) {
		t.Error("a moved chat is not gone")
	}
	if _, _, err := a.Send(context.Background(), moved.To, []bot.Alert{{StoryID: "s", Title: "Grain", Link: "https://x.example/1", Source: "Wire"}}); err != nil {
		t.Errorf("send to the supergroup: %v", err)
	}
}
