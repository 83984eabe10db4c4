package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestChatEventsDeactivateAndReactivate: an unreachable chat is listed by
// /stats for admins with its reason; reachable again, it and its topics
// leave the list; a moved chat takes its subscriptions along.
func TestChatEventsDeactivateAndReactivate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	group := Chat{Platform: "telegram", ID: "-100"}
	topic := Chat{Platform: "telegram", ID: "-100", Thread: "7"}
	e.cmds.ChatUnreachable(ctx, group, "bot was removed from the chat")
	e.chats.MarkGone(ctx, topic, "topic closed", time.Now())
	got := e.do(t, admin, "/stats")
	if !strings.Contains(got, "Deactivated chats (no alerts until reachable again): 2.") || !strings.Contains(got, "- telegram:-100 since ") || !strings.Contains(got, ": bot was removed from the chat") {
		t.Errorf("/stats = %q", got)
	}
	e.cmds.ChatReachable(ctx, group)
	if got := e.do(t, admin, "/stats"); strings.Contains(got, "Deactivated") {
		t.Errorf("after reactivation /stats = %q", got)
	}
	for _, c := range []Chat{group, topic} {
		if s, _ := e.chats.Get(ctx, c); s.Gone {
			t.Errorf("%s still gone", c)
		}
	}

	e.do(t, groupAdmin, "/subscribe grain")
	e.cmds.ChatMoved(ctx, group, Chat{Platform: "telegram", ID: "-1000100"})
	moved := groupAdmin
	moved.Chat = Chat{Platform: "telegram", ID: "-1000100"}
	if got := e.do(t, moved, "/list"); !strings.Contains(got, "grain") {
		t.Errorf("/list in the new chat = %q", got)
	}
	if got := e.do(t, groupAdmin, "/list"); strings.Contains(got, "grain") {
		t.Errorf("/list in the old chat = %q", got)
	}
}
