package fetch

import (
	"net/netip"
	"testing"
)

func TestClassifyAddr(t *testing.T) {
	tests := []struct {
		addr string
		want addrClass
	}{
		// Public IPv4.
		{"8.8.8.8", classPublic},
		{"1.1.1.1", classPublic},
		{"93.184.215.14", classPublic},
		{"100.63.255.255", classPublic},
		{"100.128.0.0", classPublic},
		{"172.15.255.255", classPublic},
		{"172.32.0.0", classPublic},
		{"192.0.1.1", classPublic},
		{"192.167.255.255", classPublic},
		{"198.17.255.255", classPublic},
		{"198.20.0.0", classPublic},
		{"223.255.255.255", classPublic},
		{"11.0.0.1", classPublic},
		// Non-public IPv4.
		{"0.0.0.0", classUnspecified},
		{"0.1.2.3", classThisNetwork},
		{"0.255.255.255", classThisNetwork},
		{"10.0.0.5", classPrivate},
		{"10.255.255.255", classPrivate},
		{"100.64.0.1", classShared},
		{"100.127.255.254", classShared},
		{"127.0.0.1", classLoopback},
		{"127.255.255.254", classLoopback},
		{"169.254.169.254", classLinkLocal},
		{"172.16.0.1", classPrivate},
		{"172.31.255.255", classPrivate},
		{"192.0.0.8", classReserved},
		{"192.0.2.1", classDocumentation},
		{"192.88.99.1", classReserved},
		{"192.168.1.1", classPrivate},
		{"198.18.0.1", classBenchmarking},
		{"198.19.255.255", classBenchmarking},
		{"198.51.100.7", classDocumentation},
		{"203.0.113.9", classDocumentation},
		{"224.0.0.1", classMulticast},
		{"239.255.255.250", classMulticast},
		{"240.0.0.1", classReserved},
		{"255.255.255.254", classReserved},
		{"255.255.255.255", classBroadcast},
		// IPv4-mapped IPv6 takes the class of the IPv4 address.
		{"::ffff:127.0.0.1", classLoopback},
		{"::ffff:7f00:1", classLoopback},
		{"::ffff:10.1.2.3", classPrivate},
		{"::ffff:169.254.169.254", classLinkLocal},
		{"::ffff:0.0.0.0", classUnspecified},
		{"::ffff:8.8.8.8", classPublic},
		// NAT64 and 6to4 are judged by the embedded IPv4 address.
		{"64:ff9b::10.0.0.1", classPrivate},
		{"64:ff9b::127.0.0.1", classLoopback},
		{"64:ff9b::a9fe:a9fe", classLinkLocal},
		{"64:ff9b::8.8.8.8", classPublic},
		{"64:ff9b:1::8.8.8.8", classPrivate},
		{"2002:7f00:1::1", classLoopback},
		{"2002:c0a8:101::1", classPrivate},
		{"2002:808:808::1", classPublic},
		// Other IPv6.
		{"::", classUnspecified},
		{"::1", classLoopback},
		{"::127.0.0.1", classReserved},
		{"::ffff:0:7f00:1", classReserved},
		{"100::1", classReserved},
		{"2001::1", classReserved},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", classReserved},
		{"2001:2::1", classBenchmarking},
		{"2001:10::1", classReserved},
		{"2001:db8::1", classDocumentation},
		{"3fff::1", classDocumentation},
		{"fc00::1", classPrivate},
		{"fd12:3456:789a::1", classPrivate},
		{"fe80::1", classLinkLocal},
		{"fe80::1%eth0", classLinkLocal},
		{"febf:ffff::1", classLinkLocal},
		{"fec0::1", classPrivate},
		{"ff02::1", classMulticast},
		{"ff05::1:3", classMulticast},
		{"4000::1", classReserved},
		{"1000::1", classReserved},
		{"2606:4700:4700::1111", classPublic},
		{"2a00:1450:4001:81b::200e", classPublic},
		{"2001:4860:4860::8888", classPublic},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a := netip.MustParseAddr(tt.addr)
			if got := classifyAddr(a); got != tt.want {
				t.Errorf("classifyAddr(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestClassifyInvalidAddr(t *testing.T) {
	if got := classifyAddr(netip.Addr{}); got == classPublic {
		t.Errorf("the zero Addr classified as public")
	}
}

func TestParseHostAddr(t *testing.T) {
	tests := []struct {
		host string
		want string // "" when not an address
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"::ffff:127.0.0.1", "::ffff:127.0.0.1"},
		{"fe80::1%eth0", "fe80::1%eth0"},
		{"0x7f.1", "127.0.0.1"},
		{"0x7F.0x0.0x0.0x1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"017700000001", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"10.0.0.5.", "10.0.0.5"},
		{"0", "0.0.0.0"},
		{"0x", "0.0.0.0"},
		{"167772165", "10.0.0.5"},
		{"0xa9fea9fe", "169.254.169.254"},
		{"4294967295", "255.255.255.255"},
		{"134744072", "8.8.8.8"},
		// Not addresses.
		{"4294967296", ""},
		{"256.0.0.1", ""},
		{"1.2.3.4.5", ""},
		{"1..2", ""},
		{"08.0.0.1", ""},
		{"0x1g.0.0.1", ""},
		{"1.2.3.256", ""},
		{"1.2.65536", ""},
		{"-1.2.3.4", ""},
		{"+1.2.3.4", ""},
		{"1_0.0.0.1", ""},
		{"example.com", ""},
		{"localhost", ""},
		{"feeds.example", ""},
		{"", ""},
		{".", ""},
		{"deadbeef", ""},
		{"1e3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, ok := parseHostAddr(tt.host)
			switch {
			case tt.want == "" && ok:
				t.Errorf("parseHostAddr(%q) = %v, want not an address", tt.host, got)
			case tt.want != "" && !ok:
				t.Errorf("parseHostAddr(%q) not an address, want %s", tt.host, tt.want)
			case tt.want != "" && got.String() != tt.want:
				t.Errorf("parseHostAddr(%q) = %v, want %s", tt.host, got, tt.want)
			}
		})
	}
}

// FuzzParseHostAddr checks that the loose IPv4 parser never panics, agrees
// with netip on canonical dotted quads, and that classification is total.
func FuzzParseHostAddr(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "0x7f.1", "2130706433", "0177.0.0.1", "::ffff:127.0.0.1",
		"fe80::1%eth0", "1.2.3", "0x", "4294967296", "a.b.c.d", "1..1", "08"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := parseHostAddr(s)
		if !ok {
			return
		}
		if !a.IsValid() {
			t.Fatalf("parseHostAddr(%q) reported an invalid address", s)
		}
		_ = classifyAddr(a)
		if canon, err := netip.ParseAddr(s); err == nil && canon != a {
			t.Fatalf("parseHostAddr(%q) = %v, netip says %v", s, a, canon)
		}
		if loose, ok := parseLooseIPv4(s); ok && !loose.Is4() {
			t.Fatalf("parseLooseIPv4(%q) = %v, not IPv4", s, loose)
		}
	})
}
