package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
)

// Lifetimes of links and sessions.
const (
	LinkTTL    = 15 * time.Minute
	SessionTTL = 12 * time.Hour
)

// errNoSuchToken is returned for a link or session that does not exist,
// expired, or was used or revoked.
var errNoSuchToken = errors.New("no such token")

// session is what a signed-in browser may do, kept in Redis under the hash
// of its cookie.
type session struct {
	Grant   grantJSON `json:"grant"`
	CSRF    string    `json:"csrf"`
	Expires time.Time `json:"expires"`
}

// grantJSON is bot.Grant in storable form.
type grantJSON struct {
	Chat          string `json:"chat"`
	ChatKind      int    `json:"kind"`
	UserPlatform  string `json:"user_platform"`
	UserID        string `json:"user_id"`
	UserName      string `json:"user_name"`
	ManageChat    bool   `json:"manage_chat"`
	ManageSources bool   `json:"manage_sources"`
}

func toJSON(g bot.Grant) grantJSON {
	return grantJSON{Chat: g.Chat.String(), ChatKind: int(g.ChatKind), UserPlatform: g.User.Platform,
		UserID: g.User.ID, UserName: g.User.Name, ManageChat: g.ManageChat, ManageSources: g.ManageSources}
}

func (j grantJSON) user() bot.User {
	return bot.User{Platform: j.UserPlatform, ID: j.UserID, Name: j.UserName}
}

// tokens keeps sign-in links and sessions in Redis, each under the SHA-256
// of its random 128-bit token, so that a copy of the database does not
// sign anyone in. All keys share the {dashboard} hash tag.
type tokens struct {
	rdb    redis.UniversalClient
	prefix string
}

func (t *tokens) linkKey(hash string) string  { return t.prefix + "{dashboard}:link:" + hash }
func (t *tokens) sessKey(hash string) string  { return t.prefix + "{dashboard}:session:" + hash }
func (t *tokens) userKey(u bot.User) string   { return t.prefix + "{dashboard}:user:" + u.Key() }
func (t *tokens) flashKey(hash string) string { return t.prefix + "{dashboard}:flash:" + hash }

// newToken returns 128 random bits in hex.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// validToken reports whether s has the shape of a token, so that garbage
// never reaches Redis.
func validToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// issueLink stores a one-time link for g, valid LinkTTL, and returns its
// token.
func (t *tokens) issueLink(ctx context.Context, g bot.Grant) (string, error) {
	tok := newToken()
	b, _ := json.Marshal(toJSON(g))
	h := hashToken(tok)
	_, err := t.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, t.linkKey(h), b, LinkTTL)
		p.SAdd(ctx, t.userKey(g.User), "link:"+h)
		p.Expire(ctx, t.userKey(g.User), SessionTTL)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("store dashboard link: %w", err)
	}
	return tok, nil
}

// linkExists tells whether a link is still unused, without using it.
func (t *tokens) linkExists(ctx context.Context, tok string) (bool, error) {
	if !validToken(tok) {
		return false, nil
	}
	n, err := t.rdb.Exists(ctx, t.linkKey(hashToken(tok))).Result()
	if err != nil {
		return false, fmt.Errorf("look up dashboard link: %w", err)
	}
	return n == 1, nil
}

// useLink consumes a link (GETDEL: a second use finds nothing) and starts a
// session for its grant. It returns the session token.
func (t *tokens) useLink(ctx context.Context, tok string, now time.Time) (string, session, error) {
	if !validToken(tok) {
		return "", session{}, errNoSuchToken
	}
	b, err := t.rdb.GetDel(ctx, t.linkKey(hashToken(tok))).Bytes()
	if errors.Is(err, redis.Nil) {
		return "", session{}, errNoSuchToken
	}
	if err != nil {
		return "", session{}, fmt.Errorf("use dashboard link: %w", err)
	}
	var g grantJSON
	if err := json.Unmarshal(b, &g); err != nil {
		return "", session{}, fmt.Errorf("decode dashboard link: %w", err)
	}
	s := session{Grant: g, CSRF: newToken(), Expires: now.Add(SessionTTL)}
	st := newToken()
	sb, _ := json.Marshal(s)
	h := hashToken(st)
	u := g.user()
	_, err = t.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, t.sessKey(h), sb, SessionTTL)
		p.SRem(ctx, t.userKey(u), "link:"+hashToken(tok))
		p.SAdd(ctx, t.userKey(u), "session:"+h)
		p.Expire(ctx, t.userKey(u), SessionTTL)
		return nil
	})
	if err != nil {
		return "", session{}, fmt.Errorf("store dashboard session: %w", err)
	}
	return st, s, nil
}

// session returns the session of a cookie's token.
func (t *tokens) session(ctx context.Context, tok string) (session, error) {
	if !validToken(tok) {
		return session{}, errNoSuchToken
	}
	b, err := t.rdb.Get(ctx, t.sessKey(hashToken(tok))).Bytes()
	if errors.Is(err, redis.Nil) {
		return session{}, errNoSuchToken
	}
	if err != nil {
		return session{}, fmt.Errorf("look up dashboard session: %w", err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		return session{}, fmt.Errorf("decode dashboard session: %w", err)
	}
	return s, nil
}

// endSession signs one browser out.
func (t *tokens) endSession(ctx context.Context, tok string) error {
	if !validToken(tok) {
		return nil
	}
	return t.rdb.Del(ctx, t.sessKey(hashToken(tok))).Err()
}

// revoke ends every session and unused link of user.
func (t *tokens) revoke(ctx context.Context, u bot.User) (int, error) {
	members, err := t.rdb.SMembers(ctx, t.userKey(u)).Result()
	if err != nil {
		return 0, fmt.Errorf("list dashboard sessions: %w", err)
	}
	keys := []string{t.userKey(u)}
	for _, m := range members {
		kind, h, _ := strings.Cut(m, ":")
		if kind == "link" {
			keys = append(keys, t.linkKey(h))
		} else {
			keys = append(keys, t.sessKey(h))
		}
	}
	n, err := t.rdb.Del(ctx, keys...).Result()
	if err != nil {
		return 0, fmt.Errorf("revoke dashboard sessions: %w", err)
	}
	if len(members) > 0 {
		n-- // the user's set itself
	}
	return int(n), nil
}

// setFlash keeps a one-line result to show on the next page of a session.
func (t *tokens) setFlash(ctx context.Context, tok, text string) {
	t.rdb.Set(ctx, t.flashKey(hashToken(tok)), text, time.Minute)
}

// takeFlash returns and clears the session's flash.
func (t *tokens) takeFlash(ctx context.Context, tok string) string {
	s, _ := t.rdb.GetDel(ctx, t.flashKey(hashToken(tok))).Result()
	return s
}
