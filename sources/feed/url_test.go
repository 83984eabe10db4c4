package feed

import (
	"net/url"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"   ", ""},
		{"https://example.com", "https://example.com"},
		{"https://example.com/", "https://example.com"},
		{"http://example.com/", "https://example.com"},
		{"HTTP://WWW.Example.COM/Path/To/Page", "https://www.example.com/Path/To/Page"},
		{"  https://example.com/a  ", "https://example.com/a"},
		{"https://example.com/a/", "https://example.com/a/"},
		{"https://example.com/a", "https://example.com/a"},
		{"http://example.com:80/a", "https://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"https://example.com./a", "https://example.com/a"},
		{"https://bücher.example/katalog", "https://xn--bcher-kva.example/katalog"},
		{"https://xn--bcher-kva.example/katalog", "https://xn--bcher-kva.example/katalog"},
		{"https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"https://example.com/a/b/..", "https://example.com/a/"},
		{"https://example.com/../../a", "https://example.com/a"},
		{"https://example.com/%7Euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"},
		{"https://example.com/a b", "https://example.com/a%20b"},
		{"https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"},
		{"https://example.com/café", "https://example.com/caf%C3%A9"},
		{"https://example.com/a%2Fb", "https://example.com/a%2Fb"},
		{"https://example.com/page#section-2", "https://example.com/page"},
		{"https://example.com/?", "https://example.com"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com/a?a=2&a=1", "https://example.com/a?a=1&a=2"},
		{"https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"},
		{"https://example.com/a?UTM_Campaign=x&id=7", "https://example.com/a?id=7"},
		{"https://example.com/a?fbclid=IwAR0abc&gclid=x&msclkid=y&mc_cid=1&mc_eid=2", "https://example.com/a"},
		{"https://www.bbc.com/news/articles/c0l3kd0n9y7o?at_medium=RSS&at_campaign=rss", "https://www.bbc.com/news/articles/c0l3kd0n9y7o"},
		{"https://example.com/a?igshid=1&_ga=2&ref_src=twsrc&yclid=3&dclid=4&_hsenc=5&mkt_tok=6", "https://example.com/a"},
		{"https://example.com/a?q=a+b&r=a%20b", "https://example.com/a?q=a+b&r=a+b"},
		{"https://example.com/a?q=%2B", "https://example.com/a?q=%2B"},
		{"https://example.com/a?x&&y=", "https://example.com/a?x&y="},
		{"https://example.com/a?bad=%zz", "https://example.com/a?bad=%25zz"},
		{"https://example.com/a?ref=homepage", "https://example.com/a?ref=homepage"},
		{"https://user:pa%20ss@example.com/a", "https://user:pa%20ss@example.com/a"},
		{"https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"},
		{"//example.com/a", "//example.com/a"},
		{"/relative/../path?b=1&a=2", "/path?a=2&b=1"},
		{"tag:example.com,2024:post-1", "tag:example.com,2024:post-1"},
		{"urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"},
		{"MAILTO:news@example.com", "mailto:news@example.com"},
		{"ftp://Example.com:21/file", "ftp://example.com:21/file"},
		{"http://exa mple.com/", "https://exa mple.com/"}, // unparseable: trimmed, scheme mapped
		{"%zz", "%zz"},
	}
	for _, tc := range tests {
		if got := NormalizeURL(tc.in); got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if got := NormalizeURL(tc.want); got != tc.want {
			t.Errorf("NormalizeURL(%q) = %q; not idempotent", tc.want, got)
		}
	}
}

func TestNormalizeURLSchemeInsensitive(t *testing.T) {
	for _, u := range []string{
		"example.com/news/1",
		"example.com/news/1?utm_source=x",
		"example.com:80/news/1",
		"EXAMPLE.com/a/./b",
	} {
		if a, b := NormalizeURL("http://"+u), NormalizeURL("https://"+u); a != b {
			t.Errorf("http and https forms of %q differ: %q vs %q", u, a, b)
		}
	}
}

func TestIsTrackingParam(t *testing.T) {
	for _, k := range []string{"utm_source", "utm_content", "fbclid", "gclid", "dclid", "msclkid", "mc_cid",
		"mc_eid", "igshid", "_ga", "ref_src", "yclid", "at_medium", "at_campaign", "at_custom1", "cmp"} {
		if !isTrackingParam(k) {
			t.Errorf("isTrackingParam(%q) = false", k)
		}
	}
	for _, k := range []string{"id", "p", "page", "q", "ref", "v", "utm", "article", "s"} {
		if isTrackingParam(k) {
			t.Errorf("isTrackingParam(%q) = true", k)
		}
	}
}

func TestResolveRef(t *testing.T) {
	base, _ := url.Parse("https://example.com/blog/feed.xml")
	tests := []struct {
		base *url.URL
		ref  string
		want string
	}{
		{base, "", ""},
		{base, "  /a  ", "https://example.com/a"},
		{base, "post-1.html", "https://example.com/blog/post-1.html"},
		{base, "../about", "https://example.com/about"},
		{base, "//cdn.example.net/i.jpg", "https://cdn.example.net/i.jpg"},
		{base, "HTTP://Other.example/x?utm_source=a", "HTTP://Other.example/x?utm_source=a"},
		{base, "mailto:a@example.com", "mailto:a@example.com"},
		{base, "%zz", "%zz"},
		{nil, "/a", "/a"},
	}
	for _, tc := range tests {
		if got := resolveRef(tc.base, tc.ref); got != tc.want {
			t.Errorf("resolveRef(%v, %q) = %q; want %q", tc.base, tc.ref, got, tc.want)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/a?b=2&a=1#x",
		"http://EXAMPLE.com:80/./a/../b/?utm_source=x&q=%7e",
		"https://bücher.example/ä?ä=ö",
		"//host/path",
		"/rel/../x",
		"tag:example.com,2024:1",
		"https://[::1]:8080/",
		"https://u:p@h/%2F%2f?%zz",
		"http:/x/./../y",
		"a:/..//b",
		"https:///x",
		"?a=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeURL(s)
		if again := NormalizeURL(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		if strings.HasPrefix(strings.ToLower(s), "http://") {
			if h := NormalizeURL("https://" + s[len("http://"):]); h != n {
				t.Fatalf("scheme-sensitive: %q -> %q but https form -> %q", s, n, h)
			}
		}
	})
}
