package subscriptions

import (
	"context"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// TestMoveChat moves a group's subscriptions and settings to its new
// (supergroup) id: the matcher of another process follows, a query the new
// chat already has is not doubled, and moving again changes nothing.
func TestMoveChat(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := NewStore(rdb, prefix, 50)
	chats := NewChats(rdb, prefix)
	from, to := Chat{Platform: "telegram", ID: "-4001"}, Chat{Platform: "telegram", ID: "-1004001"}
	grain, _ := store.Add(ctx, from, "grain", "telegram:1", time.Now())
	store.Add(ctx, from, "wheat", "telegram:1", time.Now())
	store.Add(ctx, to, "wheat", "telegram:1", time.Now())
	store.SetDigest(ctx, from, grain.ID, "daily 08:00")
	chats.SetQuiet(ctx, from, "22:00-07:00")
	chats.SetFolding(ctx, from, false)
	chats.MarkGone(ctx, from, "group chat was upgraded to a supergroup chat", time.Now())

	m := NewMatcher(store, query.DefaultLimits(), nil)
	if err := m.Load(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	n, err := MoveChat(ctx, store, chats, from, to)
	if err != nil || n != 1 {
		t.Fatalf("MoveChat = %d, %v; want 1 moved (wheat was already there)", n, err)
	}
	waitFor(t, 5*time.Second, func() bool {
		got := m.Match("Grain exports", "")
		return len(got) == 1 && got[0].Chat == to
	})
	if got := m.Match("Wheat harvest", ""); len(got) != 1 || got[0].Chat != to {
		t.Errorf("wheat matches %+v, want the new chat once", got)
	}
	if subs, _ := store.List(ctx, from); len(subs) != 0 {
		t.Errorf("old chat keeps %+v", subs)
	}
	subs, _ := store.List(ctx, to)
	if len(subs) != 2 || subs[0].ID != grain.ID || subs[0].Digest != "daily 08:00" {
		t.Errorf("new chat has %+v", subs)
	}
	s, _ := chats.Get(ctx, to)
	if s.Quiet != "22:00-07:00" || !s.NoFold || s.Gone {
		t.Errorf("new chat's settings %+v", s)
	}
	if s, _ := chats.Get(ctx, from); s != (ChatSettings{}) {
		t.Errorf("old chat's settings left: %+v", s)
	}
	if gone, total, _ := chats.GoneChats(ctx, 10); total != 0 {
		t.Errorf("moved chat still listed as gone: %+v", gone)
	}
	if n, err := MoveChat(ctx, store, chats, from, to); n != 0 || err != nil {
		t.Errorf("second move = %d, %v", n, err)
	}
	cancel()
	<-done
}
