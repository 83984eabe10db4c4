package feed

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// NormalizeURL returns the canonical form of a URL used for item identity and
// exact-duplicate detection. The result is meant for comparison, not for
// fetching:
//
//   - http and https map to the same form ("https://"); other schemes are
//     lower-cased and otherwise kept;
//   - the host is lower-cased, trailing dots removed, an internationalised
//     name converted to punycode, and the default port (80 or 443) dropped;
//   - path percent-encoding is canonical: escapes of characters allowed
//     raw in a path segment are decoded, other escapes upper-cased,
//     characters that must be escaped are escaped; escaped "/" and ":"
//     stay escaped;
//   - dot segments in the path are resolved; a trailing slash is kept, except
//     that the bare "/" path is removed ("https://example.com/" and
//     "https://example.com" are the same);
//   - tracking parameters are removed (see isTrackingParam), the remaining
//     query parameters are put in canonical form and sorted by name, then
//     value; empty "&&" segments are dropped;
//   - the fragment is dropped.
//
// Input that does not parse as a URL is returned with surrounding white
// space trimmed (and an http/https scheme written "https://"). NormalizeURL
// never panics and is idempotent: NormalizeURL(NormalizeURL(x)) ==
// NormalizeURL(x) (FuzzNormalizeURL checks both).
func NormalizeURL(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return unparsedURL(s)
	}
	scheme := strings.ToLower(u.Scheme)
	var b strings.Builder
	b.Grow(len(s) + 8)
	if u.Opaque != "" {
		// "tag:example.com,2024:1", "urn:uuid:...", "mailto:...": no host
		// or path structure to normalise.
		if strings.ContainsFunc(u.Opaque, unicode.IsSpace) {
			return unparsedURL(s)
		}
		b.WriteString(scheme)
		b.WriteByte(':')
		b.WriteString(u.Opaque)
		writeQuery(&b, u.RawQuery)
		return b.String()
	}
	web := scheme == "http" || scheme == "https"
	if web {
		scheme = "https"
	}
	if scheme != "" {
		b.WriteString(scheme)
		b.WriteByte(':')
	}
	// Whether url.Parse read an authority (possibly empty), mirroring its
	// rule: "//" after the scheme, except "///" in a scheme-less reference.
	rest := s
	if u.Scheme != "" {
		rest = s[len(u.Scheme)+1:]
	}
	parsedAuthority := strings.HasPrefix(rest, "//") && (u.Scheme != "" || !strings.HasPrefix(rest, "///"))
	hasAuthority := u.Host != "" || u.User != nil || parsedAuthority
	host, ok := normalizeHost(u.Hostname())
	if !ok {
		return unparsedURL(s)
	}
	port := u.Port()
	if web && (port == "80" || port == "443") {
		port = ""
	}
	if scheme == "" && u.User == nil && host == "" && port == "" {
		// "//" with nothing after it (or only dots) names no host; written
		// back it could read as a path, so drop it.
		hasAuthority = false
	}
	if hasAuthority {
		b.WriteString("//")
		if u.User != nil {
			b.WriteString(u.User.String())
			b.WriteByte('@')
		}
		b.WriteString(host)
		if port != "" {
			b.WriteByte(':')
			b.WriteString(port)
		}
	}
	// The path is taken raw from the input rather than from u.EscapedPath,
	// which re-escapes from the decoded path whenever the raw form holds a
	// character that needs escaping, and so loses which characters were
	// escaped.
	path := canonicalPercent(rawPath(rest, parsedAuthority))
	if strings.HasPrefix(path, "/") {
		path = removeDotSegments(path)
		if path == "/" && hasAuthority {
			path = ""
		}
	} else if hasAuthority && path != "" {
		// Cannot happen for parsed URLs (a path after an authority starts
		// with '/'); keep the result parseable all the same.
		path = "/" + path
	}
	if !hasAuthority && strings.HasPrefix(path, "//") {
		// A path starting with "//" would read back as an authority.
		path = "/." + path
	}
	b.WriteString(path)
	writeQuery(&b, u.RawQuery)
	return b.String()
}

// rawPath returns the path of a URL as written: rest is the URL after its
// scheme and colon; authority says whether url.Parse read "//host" there.
func rawPath(rest string, authority bool) string {
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if authority {
		rest = rest[2:]
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			return ""
		}
		rest = rest[i:]
	}
	return rest
}

// unparsedURL is NormalizeURL's answer for input it cannot take apart: the
// trimmed input, with an http or https scheme still mapped to "https://" so
// that the result stays scheme-insensitive.
func unparsedURL(s string) string {
	switch {
	case len(s) >= 7 && strings.EqualFold(s[:7], "http://"):
		return "https://" + s[7:]
	case len(s) >= 8 && strings.EqualFold(s[:8], "https://"):
		return "https://" + s[8:]
	}
	return s
}

// normalizeHost lower-cases the host, removes trailing dots, converts an
// internationalised name to punycode and brackets IPv6 literals. ok is false
// for hosts that would not survive a round trip through url.Parse.
func normalizeHost(h string) (string, bool) {
	h = strings.TrimRight(h, ".")
	ascii := true
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= 0x80 {
			ascii = false
			continue
		}
		if c <= ' ' || strings.IndexByte("\"#%/<>?@\\^`{|}", c) >= 0 {
			return "", false
		}
	}
	h = strings.ToLower(h)
	if !ascii {
		if strings.ContainsFunc(h, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			return "", false
		}
		// Lower-case first: the result must not change when normalised
		// again, and IDNA rejects some upper-case runes it maps when lower.
		if a, err := idna.Lookup.ToASCII(h); err == nil {
			h = a
		}
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return h, true
}

// canonicalPercent rewrites an escaped path so that equal paths have equal
// strings: escapes of characters that may stand unescaped in a path segment
// (unreserved, sub-delims and '@') are decoded, the remaining escapes (of
// '/', ':', '?', '#', '%', controls and non-ASCII bytes) are upper-cased, a '%' that does not start an escape becomes "%25", and
// any byte that url.Parse would not accept raw in a path is escaped.
func canonicalPercent(p string) string {
	if isCanonicalPath(p) {
		return p
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(p) + 8)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' {
			if i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
				v := unhex(p[i+1])<<4 | unhex(p[i+2])
				if decodable(v) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(hex[v>>4])
					b.WriteByte(hex[v&15])
				}
				i += 2
				continue
			}
			b.WriteString("%25")
			continue
		}
		if isPathChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// decodable reports whether an escaped byte is decoded in a canonical path.
// '/' would split a segment and ':' could turn a relative path into a
// scheme, so both stay escaped.
func decodable(c byte) bool { return c != '/' && c != ':' && isPathChar(c) }

func isCanonicalPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' {
			if i+2 >= len(p) || !isUpperHex(p[i+1]) || !isUpperHex(p[i+2]) {
				return false
			}
			if decodable(unhex(p[i+1])<<4 | unhex(p[i+2])) {
				return false
			}
			i += 2
			continue
		}
		if !isPathChar(c) {
			return false
		}
	}
	return true
}

// isPathChar reports whether c may appear unescaped in a canonical path:
// RFC 3986 pchar without pct-encoded, plus '/' and the brackets url.Parse
// accepts.
func isPathChar(c byte) bool {
	return isUnreserved(c) || c == '/' || c == ':' || c == '@' || c == '[' || c == ']' ||
		strings.IndexByte("!$&'()*+,;=", c) >= 0
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// removeDotSegments implements RFC 3986 section 5.2.4 for an absolute path.
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}

// resolveRef resolves ref against base. Absolute http(s) references are
// returned as given (trimmed); references that do not parse, or when base is
// nil, are returned trimmed.
func resolveRef(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil || hasWebScheme(ref) {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// hasWebScheme reports whether s starts with "http://" or "https://" in any
// letter case.
func hasWebScheme(s string) bool {
	return len(s) > 7 && strings.EqualFold(s[:7], "http://") ||
		len(s) > 8 && strings.EqualFold(s[:8], "https://")
}

// parseBase parses a feed or page URL for use as a resolution base. It
// returns nil when raw is empty or not an absolute URL.
func parseBase(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}
