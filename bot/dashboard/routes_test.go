package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/newsalert/newsalert/sources"
)

// route is every route of a chat, by method and path under /ui/c/<chat>.
type route struct {
	method, path string
	admin        bool
}

var chatRoutes = []route{
	{"GET", "/", false},
	{"GET", "/preview?q=ukraine", false},
	{"POST", "/subscribe", false},
	{"POST", "/edit", false},
	{"POST", "/unsubscribe", false},
	{"POST", "/digest", false},
	{"POST", "/settings", false},
	{"POST", "/pause", false},
	{"POST", "/pausesub", false},
	{"GET", "/sources", true},
	{"POST", "/sources/add", true},
	{"POST", "/sources/test", true},
	{"POST", "/sources/state", true},
	{"POST", "/sources/import", true},
	{"GET", "/sources/export.opml", true},
	{"GET", "/system", true},
}

func (b *browser) do(method, path string, form url.Values) int {
	b.t.Helper()
	if method == "GET" {
		st, _ := b.get(path)
		return st
	}
	return b.post(path, form).StatusCode
}

// TestEveryRouteRefusesAnotherChatsSession walks every route of chat A
// with a signed-in session of chat B (an admin, so nothing is refused for
// lack of rights): all are 404, and chat A is unchanged.
func TestEveryRouteRefusesAnotherChatsSession(t *testing.T) {
	e := newEnv(t)
	victim := e.browser(t)
	victimBase := victim.signIn(privateGrant)
	e.handle(t, privateGrant, "subscribe", "ukraine")
	subs, _ := e.subs.List(context.Background(), privateGrant.Chat)

	attacker := e.browser(t)
	attacker.signIn(adminGrant)
	form := url.Values{"id": {"1"}, "q": {"hacked"}, "digest": {"hourly"}, "timezone": {"Europe/Berlin"}, "quiet": {"22:00-07:00"},
		"paused": {"yes"}, "url": {e.feedURL}, "action": {"remove"}}
	form.Set("id", itoa(subs[0].ID))
	for _, r := range chatRoutes {
		if st := attacker.do(r.method, victimBase+r.path, form); st != http.StatusNotFound && st != http.StatusForbidden {
			t.Errorf("%s %s with another chat's session = %d, want 403 or 404", r.method, r.path, st)
		}
	}
	after, _ := e.subs.List(context.Background(), privateGrant.Chat)
	settings, _ := e.chats.Get(context.Background(), privateGrant.Chat)
	if len(after) != 1 || after[0].Query != "ukraine" || after[0].Digest != "" || after[0].Paused || settings.Paused || settings.Timezone != "" {
		t.Fatalf("victim's chat changed: %+v %+v", after, settings)
	}
}

func TestRoutesWithoutSessionAre401AndAdminRoutesAre403ForOthers(t *testing.T) {
	e := newEnv(t)
	user := e.browser(t)
	base := user.signIn(privateGrant)
	anon := e.browser(t)
	for _, r := range chatRoutes {
		if st := anon.do(r.method, base+r.path, url.Values{"csrf": {"x"}}); st != http.StatusUnauthorized {
			t.Errorf("%s %s without session = %d, want 401", r.method, r.path, st)
		}
		st := user.do(r.method, base+r.path, url.Values{})
		if r.admin && st != http.StatusForbidden {
			t.Errorf("%s %s as non-admin = %d, want 403", r.method, r.path, st)
		}
		if !r.admin && (st == http.StatusForbidden || st == http.StatusNotFound || st >= 500) {
			t.Errorf("%s %s as the chat's user = %d", r.method, r.path, st)
		}
	}
}

func TestPostsWithoutCSRFTokenAreRefused(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	for _, r := range chatRoutes {
		if r.method != "POST" {
			continue
		}
		if st := b.post(base+r.path, url.Values{"csrf": {"0123456789abcdef0123456789abcdef"}, "q": {"ukraine"}}).StatusCode; st != http.StatusForbidden {
			t.Errorf("POST %s with a wrong token = %d", r.path, st)
		}
	}
	if subs, _ := e.subs.List(context.Background(), adminGrant.Chat); len(subs) != 0 {
		t.Fatalf("subscribed without a token: %v", subs)
	}
}

func TestRevokeEndsSessionsAndLinks(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(privateGrant)
	unused := e.link(t, privateGrant)
	other := e.browser(t)
	otherBase := other.signIn(otherGrant)
	n, err := e.srv.Revoke(context.Background(), privateGrant.User)
	if err != nil || n != 2 {
		t.Fatalf("revoke = %d, %v", n, err)
	}
	if st, _ := b.get(base + "/"); st != http.StatusUnauthorized {
		t.Fatalf("revoked session = %d", st)
	}
	if st, _ := e.browser(t).get(unused); st != http.StatusGone {
		t.Fatalf("revoked link = %d", st)
	}
	if st, _ := other.get(otherBase + "/"); st != http.StatusOK {
		t.Fatalf("another user's session ended: %d", st)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(privateGrant)
	if resp := b.post("/ui/logout", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	if st, _ := b.get(base + "/"); st != http.StatusUnauthorized {
		t.Fatalf("after logout = %d", st)
	}
}

func sourceFixture(name, u string) sources.Source {
	return sources.Source{URL: u, Name: name, Interval: 5 * time.Minute, State: sources.Active, AddedBy: "telegram:1001", AddedIn: "telegram:1001"}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
