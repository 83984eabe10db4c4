package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/feed"
)

const addSourceExample = "/addsource https://feeds.bbci.co.uk/news/world/rss.xml 10m BBC World"

// parseAddArgs splits "URL [INTERVAL] [NAME...]".
func parseAddArgs(args string) (url string, interval time.Duration, name string, err error) {
	f := strings.Fields(args)
	if len(f) == 0 {
		return "", 0, "", fmt.Errorf("give the feed's or site's address, e.g. %s", addSourceExample)
	}
	url, rest := f[0], f[1:]
	if len(rest) > 0 {
		if d, derr := time.ParseDuration(rest[0]); derr == nil {
			interval, rest = d, rest[1:]
		} else if looksLikeDuration(rest[0]) {
			return "", 0, "", fmt.Errorf("%q is not an interval; write it like 90s, 10m or 2h", rest[0])
		}
	}
	return url, interval, strings.Join(rest, " "), nil
}

func looksLikeDuration(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

func (c *Commands) addSource(ctx context.Context, req Request, args string) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	url, interval, name, err := parseAddArgs(args)
	if err != nil {
		return "Can't add: " + err.Error(), nil
	}
	explicit := interval != 0
	if interval == 0 {
		interval = c.opts.DefaultInterval
	}
	if interval < c.opts.MinInterval {
		return fmt.Sprintf("Can't add: %s is below the shortest interval allowed, %s.", interval, c.opts.MinInterval), nil
	}
	added, err := c.opts.Sources.Add(ctx, sources.AddRequest{URL: url, Interval: interval, Name: name,
		AddedBy: req.User.Key(), AddedIn: req.Chat.String()})
	if errors.Is(err, sources.ErrExists) {
		s := added.Source
		if explicit && s.Interval != interval {
			if err := c.opts.Registry.SetInterval(ctx, s.ID, interval); err != nil {
				return "", err
			}
			return fmt.Sprintf("That feed is already source %d (%s); its interval is now %s (was %s).", s.ID, s.Name, interval, s.Interval), nil
		}
		return fmt.Sprintf("That feed is already source %d (%s), polled every %s. To change that: /addsource URL INTERVAL.", s.ID, s.Name, s.Interval), nil
	}
	if err != nil {
		if msg := sources.UserMessage(err); msg != "internal error (see the logs)" {
			return "Can't add " + sources.ShowURL(url) + ": " + msg + ". Nothing was stored.", nil
		}
		return "", err
	}
	s := added.Source
	found := ""
	if added.Discovered {
		found = " (found on that page)"
	}
	return fmt.Sprintf("Added source %d: %s — %s%s, every %s. Its %d current stories are marked seen; new ones will be alerted.",
		s.ID, s.Name, sources.ShowURL(s.URL), found, s.Interval, added.Items), nil
}

// findSource resolves "ID" or "URL" to a source.
func (c *Commands) findSource(ctx context.Context, arg, usage string) (sources.Source, string, error) {
	if arg == "" {
		return sources.Source{}, "Which source? " + usage + " (/sources lists them).", nil
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64); err == nil {
		s, err := c.opts.Registry.Get(ctx, id)
		if errors.Is(err, sources.ErrNotFound) {
			return s, fmt.Sprintf("There is no source %d; /sources lists them.", id), nil
		}
		return s, "", err
	}
	s, err := c.opts.Registry.ByIdentity(ctx, feed.NormalizeURL(arg))
	if errors.Is(err, sources.ErrNotFound) {
		return s, "No source has that address; /sources lists them.", nil
	}
	return s, "", err
}

func (c *Commands) removeSource(ctx context.Context, req Request, args string) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	s, msg, err := c.findSource(ctx, args, "/removesource 3")
	if err != nil || msg != "" {
		return msg, err
	}
	if _, err := c.opts.Registry.Remove(ctx, s.ID); err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed source %d: %s.", s.ID, s.Name), nil
}

func (c *Commands) setSourceState(ctx context.Context, req Request, args string, st sources.State) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	usage := "/pausesource 3"
	if st == sources.Active {
		usage = "/resumesource 3"
	}
	s, msg, err := c.findSource(ctx, args, usage)
	if err != nil || msg != "" {
		return msg, err
	}
	if st == sources.Paused && s.State == sources.Paused {
		return fmt.Sprintf("Source %d is already paused; /resumesource %d restarts it.", s.ID, s.ID), nil
	}
	if st == sources.Active && s.State == sources.Active {
		return fmt.Sprintf("Source %d is already active.", s.ID), nil
	}
	if _, err := c.opts.Registry.SetState(ctx, s.ID, st, c.opts.Now()); err != nil {
		return "", err
	}
	if st == sources.Paused {
		return fmt.Sprintf("Paused source %d (%s). /resumesource %d restarts it.", s.ID, s.Name, s.ID), nil
	}
	return fmt.Sprintf("Resumed source %d (%s); it is polled now.", s.ID, s.Name), nil
}

func (c *Commands) listSources(ctx context.Context, req Request) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	srcs, err := c.opts.Registry.List(ctx)
	if err != nil {
		return "", err
	}
	if len(srcs) == 0 {
		return "No sources yet. Add one: " + addSourceExample, nil
	}
	now := c.opts.Now()
	var b strings.Builder
	for _, s := range srcs {
		status := string(s.State)
		if s.State == sources.Active && s.Failures > 0 {
			status = fmt.Sprintf("retrying (%d failures)", s.Failures)
		} else if s.State == sources.Active {
			status = "ok"
		} else if s.State == sources.Failing {
			status = fmt.Sprintf("failing (%d failures)", s.Failures)
		}
		fmt.Fprintf(&b, "%d. %s — %s, every %s, fetched %s, last new %s\n   %s\n", s.ID, s.Name, status, s.Interval,
			ago(now, s.LastFetch), ago(now, s.LastNew), sources.ShowURL(s.URL))
		if s.LastError != "" {
			fmt.Fprintf(&b, "   last error: %s\n", s.LastError)
		}
		if s.Flooding(now) {
			fmt.Fprintf(&b, "   flagged: %d new items in one poll %s (usually about %.0f); only a few are taken per poll\n",
				s.FloodNew, ago(now, s.FloodAt), s.NewRate)
		}
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}

func (c *Commands) testSource(ctx context.Context, req Request, args string) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	url, _, _, err := parseAddArgs(args)
	if err != nil {
		return "Which feed? e.g. /testsource https://www.theguardian.com/world/rss", nil
	}
	p, err := c.opts.Sources.Probe(ctx, url)
	if err != nil {
		if msg := sources.UserMessage(err); msg != "internal error (see the logs)" {
			return "Can't read " + sources.ShowURL(url) + ": " + msg + ".", nil
		}
		return "", err
	}
	var b strings.Builder
	title := p.Feed.Title
	if title == "" {
		title = sources.ShowURL(p.URL)
	}
	fmt.Fprintf(&b, "%s — %d stories (%s). Newest:", title, len(p.Feed.Items), p.Feed.Format)
	for i, it := range p.Feed.Items {
		if i == 3 {
			break
		}
		when := "no date"
		if !it.Published.IsZero() {
			when = it.Published.UTC().Format("2 Jan 15:04 UTC")
		}
		fmt.Fprintf(&b, "\n• %s (%s)\n  %s", truncate(it.Title, 200), when, it.Link)
	}
	if p.Discovered {
		fmt.Fprintf(&b, "\nFeed found on that page: %s", sources.ShowURL(p.URL))
	}
	return b.String(), nil
}
