package subscriptions

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Move hands every subscription of chat from to chat to (a Telegram group
// upgraded to a supergroup gets a new chat id): each keeps its id, query
// and digest; one that to already has is dropped. Every process's matcher
// follows through the change stream. It returns how many moved.
func (s *Store) Move(ctx context.Context, from, to Chat) (int, error) {
	if from == to {
		return 0, nil
	}
	subs, err := s.List(ctx, from)
	if err != nil {
		return 0, err
	}
	if len(subs) == 0 {
		return 0, nil
	}
	have, err := s.List(ctx, to)
	if err != nil {
		return 0, err
	}
	queries := map[string]bool{}
	for _, h := range have {
		queries[h.Query] = true
	}
	var moved, dropped []uint64
	for _, sub := range subs {
		if queries[sub.Query] {
			dropped = append(dropped, sub.ID)
			continue
		}
		queries[sub.Query] = true
		moved = append(moved, sub.ID)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range moved {
			p.HSet(ctx, s.subKey(id), "chat", to.String())
			p.SRem(ctx, s.chatKey(from), id)
			p.SAdd(ctx, s.chatKey(to), id)
			// Remove then add: a matcher drops the old chat's entry and
			// reads the subscription again with its new chat.
			s.changed(ctx, p, OpRemove, id)
			s.changed(ctx, p, OpAdd, id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("move subscriptions of %s to %s: %w", from, to, err)
	}
	if err := s.remove(ctx, from, dropped); err != nil {
		return 0, err
	}
	s.rdb.Publish(ctx, s.notifyChannel(), strconv.FormatUint(subs[0].ID, 10))
	return len(moved), nil
}

// MoveChat moves chat from's subscriptions and settings to chat to, for a
// chat whose platform id changed (Telegram's migrate_to_chat_id). It is
// idempotent: moving again finds nothing left to move.
func MoveChat(ctx context.Context, subs *Store, chats *Chats, from, to Chat) (int, error) {
	n, err := subs.Move(ctx, from, to)
	if err != nil {
		return n, err
	}
	if err := chats.Move(ctx, from, to); err != nil {
		return n, err
	}
	return n, nil
}
