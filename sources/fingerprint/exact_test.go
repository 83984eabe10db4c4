package fingerprint

import (
	"strings"
	"testing"
)

func TestExactKey(t *testing.T) {
	base := "https://www.example.com/world/2024/05/09/kim-putin-victory-day"
	same := []string{
		base,
		"http://www.example.com/world/2024/05/09/kim-putin-victory-day",
		"https://EXAMPLE.com/world/2024/05/09/kim-putin-victory-day/",
		"https://example.com:443/world/2024/05/09/kim-putin-victory-day#comments",
		"https://example.com/world/2024/05/09/./kim-putin-victory-day?utm_source=rss&utm_medium=feed",
		"https://example.com/world/2024/05/09/kim-putin-victory-day/amp",
		"https://example.com/world/2024/05/09/kim-putin-victory-day?fbclid=IwAR0x&outputType=amp",
		"  https://www.example.com./world/2024/05/09/kim-putin-victory-day  ",
	}
	want := ExactKey(base)
	if len(want) != 32 {
		t.Fatalf("ExactKey length %d, want 32 hex digits", len(want))
	}
	for _, u := range same {
		if got := ExactKey(u); got != want {
			t.Errorf("ExactKey(%q) = %s, want %s (normalised %q)", u, got, want, normalizeURL(u))
		}
	}
	different := []string{
		"https://www.example.com/world/2024/05/09/kim-putin-victory-day-2",
		"https://www.example.com/World/2024/05/09/kim-putin-victory-day",
		"https://www.example.org/world/2024/05/09/kim-putin-victory-day",
		"https://www.example.com/world/2024/05/09/kim-putin-victory-day?page=2",
		"https://www.example.com:8443/world/2024/05/09/kim-putin-victory-day",
		"ftp://www.example.com/world/2024/05/09/kim-putin-victory-day",
	}
	for _, u := range different {
		if got := ExactKey(u); got == want {
			t.Errorf("ExactKey(%q) collides with %q", u, base)
		}
	}
	if ExactKey("https://a.example/x?b=2&a=1") != ExactKey("https://a.example/x?a=1&b=2") {
		t.Error("query parameter order changes the key")
	}
	if ExactKey("") != "" || ExactKey("   ") != "" {
		t.Error("blank URL must give an empty key")
	}
	if ExactKey("not a url") == "" || ExactKey("not a url") == ExactKey("not a url 2") {
		t.Error("non-URL input must still be keyed by its text")
	}
}

func FuzzExactKey(f *testing.F) {
	f.Add("https://www.example.com/a/b/?utm_source=x#y")
	f.Add("http://[::1]:80/%zz")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		k := ExactKey(s)
		if k != "" && len(k) != 32 {
			t.Fatalf("ExactKey(%q) = %q", s, k)
		}
		n := normalizeURL(strings.TrimSpace(s))
		if k != "" && normalizeURL(n) != n {
			t.Fatalf("normalisation of %q is not idempotent: %q then %q", s, n, normalizeURL(n))
		}
	})
}
