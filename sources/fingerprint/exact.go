package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"path"
	"slices"
	"strings"
)

// ExactKey returns a key identifying a canonical article URL, so that the
// same article arriving from several feeds is recognised exactly: 32 hex
// digits (the first 128 bits of SHA-256 of the normalised URL), or "" for
// an empty or blank URL.
//
// Normalisation treats as equal: http and https; upper/lower case host;
// a leading "www."; default ports; a trailing slash, "/index.html" and dot
// segments in the path; a trailing "/amp" segment; the order of query
// parameters; tracking parameters (utm_*, fbclid, gclid, mc_cid, mc_eid,
// cmpid, ocid, smid, at_*, outputType=amp and the like); and the fragment.
// Path case and the remaining query values are kept, as servers may treat
// them as different pages. A string that is not an absolute http(s) URL is
// keyed by its trimmed text.
func ExactKey(canonicalURL string) string {
	s := strings.TrimSpace(canonicalURL)
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(normalizeURL(s)))
	return hex.EncodeToString(sum[:16])
}

// normalizeURL returns the comparison form of a URL, see ExactKey.
func normalizeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		return s
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimRight(host, ".")
	host = strings.TrimPrefix(host, "www.")
	if host == "" {
		return s // "http://..": no host to compare by
	}
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host = net.JoinHostPort(host, port)
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	p = trimPathSuffixes(path.Clean(p))
	var b strings.Builder
	b.WriteString("https://")
	b.WriteString(host)
	b.WriteString(p)
	if q := cleanQuery(u.Query()); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// trimPathSuffixes removes "/amp" and index-page suffixes until none is
// left, so that normalisation is idempotent; the result is never empty.
func trimPathSuffixes(p string) string {
	for {
		q := strings.TrimSuffix(p, "/amp")
		for _, index := range []string{"/index.html", "/index.htm", "/index.php"} {
			q = strings.TrimSuffix(q, index)
		}
		if q == "" || q == "." {
			return "/"
		}
		if q == p {
			return p
		}
		p = q
	}
}

// cleanQuery drops tracking parameters and encodes the rest sorted by key
// (url.Values.Encode sorts keys; values keep their order).
func cleanQuery(q url.Values) string {
	for k, vs := range q {
		if isTrackingParam(k) || (strings.EqualFold(k, "outputType") && slices.Contains(vs, "amp")) {
			delete(q, k)
		}
	}
	return q.Encode()
}

func isTrackingParam(k string) bool {
	k = strings.ToLower(k)
	if strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "at_") || strings.HasPrefix(k, "mc_") {
		return true
	}
	switch k {
	case "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "cmpid", "ocid",
		"smid", "smtyp", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
		"ns_fee", "cmp", "src", "ref", "referrer", "share", "taid", "guccounter", "amp":
		return true
	}
	return false
}
