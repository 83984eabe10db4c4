package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxURLLength bounds the length of a URL the fetcher accepts.
const maxURLLength = 8 << 10

// minDialAttempt is the least time one address gets when a host name has
// several addresses and the connect budget is split between them.
const minDialAttempt = 2 * time.Second

// parseURL parses and vets a URL given to Fetch.
func (f *Fetcher) parseURL(raw string) (*url.URL, *Error) {
	if len(raw) > maxURLLength {
		return nil, &Error{Kind: InvalidURL, URL: RedactURL(raw),
			Err: fmt.Errorf("url is %d bytes long, the limit is %d", len(raw), maxURLLength)}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// *url.Error repeats the whole URL in its text: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &Error{Kind: InvalidURL, URL: RedactURL(raw), Err: err}
	}
	if e := f.checkTarget(u); e != nil {
		return nil, e
	}
	return u, nil
}

// checkTarget vets a URL before any request to it, including each redirect
// target: only http and https, a host is required, and a host written as an
// IP address (in any spelling) must be an allowed destination. Host names
// are checked later, at dial time, on the addresses they resolve to.
func (f *Fetcher) checkTarget(u *url.URL) *Error {
	fail := func(k Kind, err error) *Error {
		return &Error{Kind: k, URL: RedactURL(u.String()), Err: err}
	}
	switch u.Scheme {
	case "http", "https":
	default:
		scheme := u.Scheme
		if scheme == "" {
			return fail(InvalidURL, errors.New("url has no scheme, expected http:// or https://"))
		}
		return fail(Blocked, &blockedError{scheme: truncate(scheme, 32)})
	}
	host := u.Hostname()
	if host == "" {
		return fail(InvalidURL, errors.New("url has no host"))
	}
	port, err := urlPort(u)
	if err != nil {
		return fail(InvalidURL, err)
	}
	if a, ok := parseHostAddr(host); ok {
		if err := f.checkAddr(netip.AddrPortFrom(a, port), host); err != nil {
			return fail(Blocked, err)
		}
	}
	return nil
}

// urlPort returns the explicit port of u or the scheme's default.
func urlPort(u *url.URL) (uint16, error) {
	p := u.Port()
	if p == "" {
		if u.Scheme == "https" {
			return 443, nil
		}
		return 80, nil
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("invalid port %q", truncate(p, 16))
	}
	return uint16(n), nil
}

// checkAddr returns a *blockedError when ap is not an allowed destination.
// host is the name it came from, for the message.
func (f *Fetcher) checkAddr(ap netip.AddrPort, host string) error {
	if f.allowAddr != nil && f.allowAddr(ap) {
		return nil
	}
	if f.opts.AllowPrivate {
		return nil
	}
	c := classifyAddr(ap.Addr())
	if c == classPublic {
		return nil
	}
	be := &blockedError{addr: ap.Addr(), class: c}
	if _, err := netip.ParseAddr(host); host != "" && err != nil {
		be.host = truncate(host, 64) // a name or a loose IPv4 spelling: show both
	}
	return be
}

// dialContext is the transport's dialer. It resolves the host itself, drops
// every address that is not an allowed destination, and connects to the
// remaining ones in order. Resolution plus connecting is bounded by
// ConnectTimeout. Because the check runs on every dial, DNS rebinding and
// redirects to hosts resolving to private addresses are refused too.
func (f *Fetcher) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.ConnectTimeout)
	defer cancel()

	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %q: %w", address, err)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %q: invalid port", address)
	}

	var addrs []netip.Addr
	if a, ok := parseHostAddr(host); ok {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = f.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
	}

	allowed := make([]netip.AddrPort, 0, len(addrs))
	var blocked error
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a, uint16(port))
		if err := f.checkAddr(ap, host); err != nil {
			f.log.Debug("fetch refused address", "host", host, "addr", a.String(), "reason", err.Error())
			if blocked == nil {
				blocked = err
			}
			continue
		}
		allowed = append(allowed, ap)
	}
	if len(allowed) == 0 {
		if blocked != nil {
			return nil, blocked
		}
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}

	var firstErr error
	for i, ap := range allowed {
		attemptCtx, attemptCancel := partialDeadline(ctx, len(allowed)-i)
		conn, err := f.dialer.DialContext(attemptCtx, network, ap.String())
		attemptCancel()
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// partialDeadline gives one of remaining connection attempts its share of
// the time left in ctx, at least minDialAttempt.
func partialDeadline(ctx context.Context, remaining int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || remaining <= 1 {
		return context.WithCancel(ctx)
	}
	left := time.Until(deadline)
	share := max(left/time.Duration(remaining), minDialAttempt)
	if share >= left {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, share)
}

// resolve looks host up, returning IPv4 addresses in their 4-byte form.
func (f *Fetcher) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	var err error
	if f.lookup != nil {
		addrs, err = f.lookup(ctx, host)
	} else {
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	if err != nil {
		return nil, err
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

// controlDial runs just before each connect(2), on the exact address being
// connected to. It repeats the destination check as a second line of defence
// behind dialContext.
func (f *Fetcher) controlDial(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to dial unparsable address %q: %w", address, err)
	}
	return f.checkAddr(ap, "")
}
