package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"time"

	"golang.org/x/time/rate"

	"github.com/newsalert/newsalert/bot"
)

func TestLinkSignsInOnceWithAStrictCookie(t *testing.T) {
	for _, tc := range []struct {
		public     string
		wantSecure bool
	}{{"http://dash.example", false}, {"https://dash.example", true}} {
		t.Run(tc.public, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.PublicURL = tc.public })
			l, err := e.srv.Link(context.Background(), privateGrant)
			if err != nil || !strings.HasPrefix(l, tc.public+"/ui/login/") || len(l) != len(tc.public+"/ui/login/")+32 {
				t.Fatalf("link %q, %v", l, err)
			}
			b := e.browser(t)
			path := strings.TrimPrefix(l, tc.public)
			if st, _ := b.get(path); st != http.StatusOK { // opening (a link preview) does not use it
				t.Fatalf("GET link = %d", st)
			}
			if st, _ := b.get(path); st != http.StatusOK {
				t.Fatalf("GET link again = %d", st)
			}
			resp := b.post("/ui/login", url.Values{"token": {strings.TrimPrefix(path, "/ui/login/")}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("POST login = %d", resp.StatusCode)
			}
			var sc *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == sessionCookie {
					sc = c
				}
			}
			if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Secure != tc.wantSecure ||
				sc.MaxAge != 12*3600 || sc.Path != "/ui/" {
				t.Fatalf("session cookie %+v", sc)
			}
			// Second use refused, from any browser.
			b2 := e.browser(t)
			if st, body := b2.get(path); st != http.StatusGone || !strings.Contains(body, "already used or has expired") {
				t.Fatalf("second GET = %d %s", st, body)
			}
			if resp := b2.post("/ui/login", url.Values{"token": {strings.TrimPrefix(path, "/ui/login/")}}); resp.StatusCode == http.StatusSeeOther || len(resp.Cookies()) != 0 {
				t.Fatalf("second POST = %d", resp.StatusCode)
			}
			// Even with the form's cookie from a fresh page, the used token is refused.
			b3 := e.browser(t)
			b3.get(e.link(t, otherGrant))
			if resp := b3.post("/ui/login", url.Values{"token": {strings.TrimPrefix(path, "/ui/login/")}}); resp.StatusCode != http.StatusGone {
				t.Fatalf("reused token with a valid form = %d", resp.StatusCode)
			}
		})
	}
}

func TestLinksAreStoredHashedWithExpiry(t *testing.T) {
	e := newEnv(t)
	path := e.link(t, privateGrant)
	tok := strings.TrimPrefix(path, "/ui/login/")
	ctx := context.Background()
	keys, err := e.srv.tok.rdb.Keys(ctx, e.srv.tok.prefix+"{dashboard}:link:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v %v", keys, err)
	}
	if strings.Contains(keys[0], tok) || !strings.HasSuffix(keys[0], hashToken(tok)) {
		t.Fatalf("link key %q holds the token in clear", keys[0])
	}
	ttl := e.srv.tok.rdb.TTL(ctx, keys[0]).Val()
	if ttl <= LinkTTL-time.Minute || ttl > LinkTTL {
		t.Fatalf("ttl %v", ttl)
	}
}

func TestNoPublicURLNoLink(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.PublicURL = "" })
	if _, err := e.srv.Link(context.Background(), privateGrant); err != bot.ErrNoPublicURL {
		t.Fatalf("err %v", err)
	}
}

func TestLoginFormNeedsItsCSRFCookie(t *testing.T) {
	e := newEnv(t)
	path := e.link(t, privateGrant)
	b := e.browser(t) // never opened the page: no login cookie
	resp := b.post("/ui/login", url.Values{"token": {strings.TrimPrefix(path, "/ui/login/")}, "csrf": {"0123456789abcdef0123456789abcdef"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without cookie = %d", resp.StatusCode)
	}
	if st, _ := b.get(path); st != http.StatusOK { // still unused
		t.Fatalf("link used by a refused form: %d", st)
	}
}

func TestSignInAttemptsAreRateLimited(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.LoginRate, o.LoginBurst = rate.Limit(0.0001), 3 })
	b := e.browser(t)
	for i := range 3 {
		if st, _ := b.get("/ui/login/00000000000000000000000000000000"); st != http.StatusGone {
			t.Fatalf("attempt %d = %d", i, st)
		}
	}
	if st, _ := b.get("/ui/login/00000000000000000000000000000000"); st != http.StatusTooManyRequests {
		t.Fatalf("fourth attempt = %d", st)
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	for _, p := range []string{"/ui/", base + "/", base + "/sources", base + "/system", "/ui/static/app.css", "/ui/static/app.js", "/ui/login/bad", "/ui/nothing"} {
		resp, err := b.c.Get(e.http.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") ||
			strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", p, resp.Header)
		}
	}
}

func TestPagesHaveNoInlineScriptAndEveryFormACSRFToken(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	base := b.signIn(adminGrant)
	e.handle(t, adminGrant, "subscribe", "ukraine")
	e.registry.Add(context.Background(), sourceFixture("Wire", "https://wire.example/rss"), "wire.example/rss", e.now)
	for _, p := range []string{base + "/", base + "/sources", base + "/system"} {
		st, body := b.get(p)
		if st != http.StatusOK {
			t.Fatalf("%s = %d", p, st)
		}
		if strings.Count(body, "<script") != 1 || !strings.Contains(body, `<script src="/ui/static/app.js" defer></script>`) {
			t.Errorf("%s: scripts other than app.js", p)
		}
		if strings.Contains(body, " style=") || strings.Contains(body, "<style") || strings.Contains(body, " on") && strings.Contains(body, "onclick") {
			t.Errorf("%s: inline style or handler", p)
		}
		forms := strings.Count(body, `method="post"`)
		if forms == 0 || strings.Count(body, `name="csrf"`) < forms {
			t.Errorf("%s: %d POST forms, %d CSRF fields", p, forms, strings.Count(body, `name="csrf"`))
		}
	}
}
