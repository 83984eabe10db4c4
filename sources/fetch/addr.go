package fetch

import (
	"net/netip"
	"strconv"
	"strings"
)

// addrClass says what kind of destination an IP address is. Everything but
// classPublic is refused unless Options.AllowPrivate is set.
type addrClass uint8

const (
	classPublic addrClass = iota
	classUnspecified
	classThisNetwork
	classLoopback
	classPrivate
	classShared
	classLinkLocal
	classMulticast
	classBroadcast
	classDocumentation
	classBenchmarking
	classReserved
)

// String describes the class for a sentence like "10.0.0.5 is <class>".
func (c addrClass) String() string {
	switch c {
	case classPublic:
		return "a public address"
	case classUnspecified:
		return "an unspecified address"
	case classThisNetwork:
		return `a "this network" address`
	case classLoopback:
		return "a loopback address"
	case classPrivate:
		return "a private network address"
	case classShared:
		return "a shared (carrier-grade NAT) address"
	case classLinkLocal:
		return "a link-local address"
	case classMulticast:
		return "a multicast address"
	case classBroadcast:
		return "a broadcast address"
	case classDocumentation:
		return "a documentation address"
	case classBenchmarking:
		return "a benchmarking address"
	default:
		return "a reserved address"
	}
}

type prefixClass struct {
	prefix netip.Prefix
	class  addrClass
}

// v4Classes is a read-only table checked in order; the first matching
// prefix wins.
var v4Classes = [...]prefixClass{
	{netip.MustParsePrefix("0.0.0.0/32"), classUnspecified},
	{netip.MustParsePrefix("0.0.0.0/8"), classThisNetwork},
	{netip.MustParsePrefix("10.0.0.0/8"), classPrivate},
	{netip.MustParsePrefix("100.64.0.0/10"), classShared},
	{netip.MustParsePrefix("127.0.0.0/8"), classLoopback},
	{netip.MustParsePrefix("169.254.0.0/16"), classLinkLocal},
	{netip.MustParsePrefix("172.16.0.0/12"), classPrivate},
	{netip.MustParsePrefix("192.0.0.0/24"), classReserved}, // IETF protocol assignments
	{netip.MustParsePrefix("192.0.2.0/24"), classDocumentation},
	{netip.MustParsePrefix("192.88.99.0/24"), classReserved}, // deprecated 6to4 relay anycast
	{netip.MustParsePrefix("192.168.0.0/16"), classPrivate},
	{netip.MustParsePrefix("198.18.0.0/15"), classBenchmarking},
	{netip.MustParsePrefix("198.51.100.0/24"), classDocumentation},
	{netip.MustParsePrefix("203.0.113.0/24"), classDocumentation},
	{netip.MustParsePrefix("224.0.0.0/4"), classMulticast},
	{netip.MustParsePrefix("255.255.255.255/32"), classBroadcast},
	{netip.MustParsePrefix("240.0.0.0/4"), classReserved},
}

// v6Classes is a read-only table checked in order after the embedded-IPv4
// forms are handled.
var v6Classes = [...]prefixClass{
	{netip.MustParsePrefix("::/128"), classUnspecified},
	{netip.MustParsePrefix("::1/128"), classLoopback},
	{netip.MustParsePrefix("::/96"), classReserved},           // deprecated IPv4-compatible
	{netip.MustParsePrefix("::ffff:0:0:0/96"), classReserved}, // SIIT IPv4-translated
	{netip.MustParsePrefix("64:ff9b:1::/48"), classPrivate},   // local-use NAT64 (RFC 8215)
	{netip.MustParsePrefix("100::/64"), classReserved},        // discard-only
	{netip.MustParsePrefix("2001:2::/48"), classBenchmarking},
	{netip.MustParsePrefix("2001::/23"), classReserved}, // IETF protocol assignments incl. Teredo, ORCHID
	{netip.MustParsePrefix("2001:db8::/32"), classDocumentation},
	{netip.MustParsePrefix("3fff::/20"), classDocumentation},
	{netip.MustParsePrefix("fc00::/7"), classPrivate},
	{netip.MustParsePrefix("fe80::/10"), classLinkLocal},
	{netip.MustParsePrefix("fec0::/10"), classPrivate}, // deprecated site-local
	{netip.MustParsePrefix("ff00::/8"), classMulticast},
}

var (
	nat64Prefix   = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour     = netip.MustParsePrefix("2002::/16")
	globalUnicast = netip.MustParsePrefix("2000::/3")
)

// classifyAddr reports what kind of destination a is. IPv4-mapped IPv6,
// NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4
// address they embed. IPv6 outside 2000::/3 is reserved.
func classifyAddr(a netip.Addr) addrClass {
	a = a.WithZone("")
	switch {
	case !a.IsValid():
		return classReserved
	case a.Is4In6():
		return classify4(a.Unmap())
	case a.Is4():
		return classify4(a)
	case nat64Prefix.Contains(a):
		b := a.As16()
		return classify4(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(a):
		b := a.As16()
		return classify4(netip.AddrFrom4([4]byte(b[2:6])))
	}
	for _, pc := range v6Classes {
		if pc.prefix.Contains(a) {
			return pc.class
		}
	}
	if !globalUnicast.Contains(a) {
		return classReserved
	}
	return classPublic
}

func classify4(a netip.Addr) addrClass {
	for _, pc := range v4Classes {
		if pc.prefix.Contains(a) {
			return pc.class
		}
	}
	return classPublic
}

// parseHostAddr interprets a URL host name as an IP address when it is one:
// a canonical IPv4 or IPv6 literal (with an optional zone), or one of the
// historical IPv4 spellings that inet_aton and browsers accept ("0x7f.1",
// "2130706433", "0177.0.0.1"). It reports false for ordinary host names.
func parseHostAddr(host string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, true
	}
	return parseLooseIPv4(host)
}

// parseLooseIPv4 parses the inet_aton forms of an IPv4 address: one to four
// dot-separated parts, each decimal, octal (leading 0) or hexadecimal (0x),
// the last part filling the remaining bytes. A single trailing dot is
// allowed, as in a fully qualified name.
func parseLooseIPv4(s string) (netip.Addr, bool) {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 64 {
		return netip.Addr{}, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var vals [4]uint64
	for i, p := range parts {
		v, ok := parseLooseIPv4Part(p)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	last := len(parts) - 1
	for i := range last {
		if vals[i] > 0xff {
			return netip.Addr{}, false
		}
	}
	lastBits := 8 * uint(4-last)
	if vals[last] >= 1<<lastBits {
		return netip.Addr{}, false
	}
	var n uint32
	for i := range last {
		n |= uint32(vals[i]) << (24 - 8*uint(i))
	}
	n |= uint32(vals[last])
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

func parseLooseIPv4Part(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true // "0x" alone is zero, as in inet_aton
		}
	case len(p) >= 2 && p[0] == '0':
		base, p = 8, p[1:]
	}
	v, err := strconv.ParseUint(p, base, 32)
	if err != nil {
		return 0, false
	}
	return v, true
}
