package fetch

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://example.com/feed.xml", "https://example.com/feed.xml"},
		{"https://alice:s3cret@example.com/feed", "https://REDACTED@example.com/feed"},
		{"https://tok_abc123@example.com/feed", "https://REDACTED@example.com/feed"},
		{"https://example.com/feed?token=abc&page=2", "https://example.com/feed?token=REDACTED&page=2"},
		{"https://example.com/feed?page=2&api_key=k1&lang=en", "https://example.com/feed?page=2&api_key=REDACTED&lang=en"},
		{"https://example.com/f?Secret=x&PASSWORD=y&passwd=z&pwd=w", "https://example.com/f?Secret=REDACTED&PASSWORD=REDACTED&passwd=REDACTED&pwd=REDACTED"},
		{"https://example.com/f?access_token=a;sig=b", "https://example.com/f?access_token=REDACTED;sig=REDACTED"},
		{"https://example.com/f?a=token%3Dx;token=y", "https://example.com/f?a=token%3Dx;token=REDACTED"},
		{"https://example.com/f?X-Amz-Signature=abc&X-Amz-Credential=def", "https://example.com/f?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED"},
		{"https://example.com/f?to%6Ben=abc", "https://example.com/f?to%6Ben=REDACTED"},
		{"https://example.com/f?token", "https://example.com/f?token"},
		{"https://example.com/?p=123", "https://example.com/?p=123"},
		{"https://example.com/cb#access_token=abc&state=1", "https://example.com/cb#access_token=REDACTED&state=1"},
		{"https://example.com/page#section-2", "https://example.com/page#section-2"},
		{"http://u:p@[::1]:8080/x?key=1", "http://REDACTED@[::1]:8080/x?key=REDACTED"},
		// Unparsable input is still redacted.
		{"http://alice:s3cret@exa mple.com/x?token=abc", "http://REDACTED@exa mple.com/x?token=REDACTED"},
		{"http://alice:s3cret@example.com:port/x", "http://REDACTED@example.com:port/x"},
		{"alice:s3cret@%zz", "alice:REDACTED@%zz"},
		{"http://alice:s3cret@host/%zz?key=1", "http://REDACTED@host/%zz?key=REDACTED"},
		{"%zz?token=abc#key=1", "%zz?token=REDACTED#key=REDACTED"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := RedactURL(tt.in); got != tt.want {
				t.Errorf("RedactURL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactURLTruncates(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("é", 1000)
	got := RedactURL(long)
	if len(got) > maxLoggedURL {
		t.Errorf("RedactURL of %d bytes returned %d bytes, want at most %d", len(long), len(got), maxLoggedURL)
	}
	if !strings.HasSuffix(got, "...") {
		t.Errorf("truncated URL %q does not end in ...", got[len(got)-10:])
	}
}

// FuzzRedactURL checks that no parsable URL keeps its password, user name,
// or the value of a secret query parameter.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{
		"https://alice:s3cret@example.com/feed?token=abc",
		"http://u@h/?key=1&key=2",
		"http://h/?a=1;password=2#secret=3",
		"http://[::1%25eth0]/?x",
		"://@@?&&==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := RedactURL(raw)
		if len(out) > maxLoggedURL {
			t.Fatalf("RedactURL(%q) is %d bytes long", raw, len(out))
		}
		u, err := url.Parse(raw)
		if err != nil || len(out) >= maxLoggedURL-3 {
			return
		}
		if pw, ok := u.User.Password(); ok && len(pw) >= 4 && !strings.Contains(redactedRest(u), pw) && strings.Contains(out, pw) {
			t.Fatalf("RedactURL(%q) = %q keeps the password %q", raw, out, pw)
		}
		ru, err := url.Parse(out)
		if err != nil {
			return
		}
		if ru.User != nil && ru.User.String() != redacted {
			t.Fatalf("RedactURL(%q) = %q keeps userinfo %q", raw, out, ru.User)
		}
		for name, vals := range ru.Query() {
			if !isSecretParam(name) {
				continue
			}
			for _, v := range vals {
				if v != redacted && v != "" {
					t.Fatalf("RedactURL(%q) = %q keeps %s=%q", raw, out, name, v)
				}
			}
		}
	})
}

// redactedRest is u without userinfo, to tell a password that also appears
// elsewhere in the URL (which redaction rightly keeps) from a leak.
func redactedRest(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
