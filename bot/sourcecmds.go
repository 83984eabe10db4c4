package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/internal/human"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/storytext"
	"github.com/newsalert/newsalert/sources/summary"
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
		return fmt.Sprintf("Can't add: %s is below the shortest interval allowed, %s.", human.Duration(interval), human.Duration(c.opts.MinInterval)), nil
	}
	added, err := c.opts.Sources.Add(ctx, sources.AddRequest{URL: url, Interval: interval, Name: name,
		AddedBy: req.User.Key(), AddedIn: req.Chat.String()})
	if errors.Is(err, sources.ErrExists) {
		return c.changeSource(ctx, added.Source, explicit, interval, name)
	}
	if err != nil {
		if msg := sources.UserMessage(err); msg != "internal error (see the logs)" {
			return "Can't add " + sources.ShowURL(url) + ": " + sentence(msg) + " Nothing was stored.", nil
		}
		return "", err
	}
	c.keepForTest(ctx, added)
	s := added.Source
	found := ""
	if added.Discovered {
		found = " (found on that page)"
	}
	current := plural(added.Items, "Its one current story is marked seen", "Its %d current stories are marked seen")
	if added.Items == 0 {
		current = "It has no stories yet"
	}
	return fmt.Sprintf("Added source %d: %s — %s%s, every %s. %s; new ones will be alerted.",
		s.ID, s.Name, sources.ShowURL(s.URL), found, c.intervalText(s), current), nil
}

// changeSource applies a new interval or name given to /addsource for a
// feed that is already a source, and says what changed.
func (c *Commands) changeSource(ctx context.Context, s sources.Source, explicit bool, interval time.Duration, name string) (string, error) {
	var changes []string
	if name = strings.TrimSpace(name); name != "" && name != s.Name {
		name = truncate(name, 80)
		if err := c.opts.Registry.SetName(ctx, s.ID, name); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("renamed from %s to %s", s.Name, name))
		s.Name = name
	}
	if explicit && s.Interval != interval {
		was := s.Interval
		updated, err := c.opts.Registry.SetInterval(ctx, s.ID, interval, c.opts.MinInterval, c.opts.Now())
		if err != nil {
			return "", err
		}
		s = updated
		change := fmt.Sprintf("its interval is now %s (was %s)", human.Duration(interval), human.Duration(was))
		if in := s.InForce(c.opts.MinInterval); in != interval {
			change += fmt.Sprintf(", though it is polled every %s (%s)", human.Duration(in), c.inForceReason(s))
		}
		if !s.NextPoll.IsZero() {
			change += ", next poll " + c.until(s.NextPoll)
		} else {
			change += fmt.Sprintf("; it is %s: /resumesource %d restarts it", s.State, s.ID)
		}
		changes = append(changes, change)
	}
	if len(changes) == 0 {
		return fmt.Sprintf("That feed is already source %d (%s), polled every %s. To change that: /addsource URL INTERVAL [NAME].", s.ID, s.Name, c.intervalText(s)), nil
	}
	return fmt.Sprintf("That feed is already source %d (%s): %s.", s.ID, s.Name, strings.Join(changes, "; ")), nil
}

// keepForTest stores the stories of a source just added where /test looks,
// so a query can be tried on them at once. A failure only costs /test.
func (c *Commands) keepForTest(ctx context.Context, added sources.Added) {
	if c.opts.Stories == nil || len(added.Stories) == 0 {
		return
	}
	// added.Stories are newest first; the window takes them oldest first.
	oldestFirst := slices.Clone(added.Stories)
	slices.Reverse(oldestFirst)
	if err := c.opts.Stories.AddRecent(ctx, oldestFirst); err != nil {
		c.log.Warn("cannot keep the stories of a new source for /test", "source_id", added.Source.ID, "err", err)
	}
}

// intervalText is how often s is polled: "10m", or "15m (asked 10m; the
// feed's ttl asks 15m)" when the interval in force is longer than asked.
func (c *Commands) intervalText(s sources.Source) string {
	in := s.InForce(c.opts.MinInterval)
	if in == s.Interval {
		return human.Duration(in)
	}
	return fmt.Sprintf("%s (asked %s; %s)", human.Duration(in), human.Duration(s.Interval), c.inForceReason(s))
}

// inForceReason says what makes the interval in force longer than asked.
func (c *Commands) inForceReason(s sources.Source) string {
	in := s.InForce(c.opts.MinInterval)
	switch {
	case in == min(s.FeedTTL, 24*time.Hour):
		return "the feed's ttl asks " + human.Duration(in)
	case in == min(s.MaxAge, 24*time.Hour):
		return "its server's Cache-Control max-age asks " + human.Duration(in)
	case in == c.opts.MinInterval:
		return "the shortest interval allowed is " + human.Duration(in)
	}
	return "asked " + human.Duration(s.Interval)
}

// until says when t comes, from now: "now", "in 40s", "in 4m", "in 2h30m".
func (c *Commands) until(t time.Time) string {
	d := t.Sub(c.opts.Now())
	switch {
	case d <= time.Second:
		return "now"
	case d < time.Minute:
		return "in " + human.Duration(d.Round(time.Second))
	default:
		return "in " + human.Duration(d.Round(time.Minute))
	}
}

// sentence ends msg with exactly one full stop.
func sentence(msg string) string {
	msg = strings.TrimRight(strings.TrimSpace(msg), ".")
	return msg + "."
}

// plural picks one for n == 1 and many (a format with %d) otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// findSource resolves "ID" or "URL" to a source; usage is the command with
// an example argument ("/pausesource 3").
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
	if _, err := sources.ValidateURL(arg); err != nil || !looksLikeURL(arg) {
		return sources.Source{}, fmt.Sprintf("%q is not a source number or a valid URL. Type the number /sources shows, e.g. %s, or the feed's address.", arg, usage), nil
	}
	s, err := c.opts.Registry.ByIdentity(ctx, feed.NormalizeURL(arg))
	if errors.Is(err, sources.ErrNotFound) {
		return s, "No source has that address; /sources lists them.", nil
	}
	return s, "", err
}

// looksLikeURL tells an address ("https://x.org/rss", "x.org/rss") from a
// stray word ("abc").
func looksLikeURL(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(strings.SplitN(s, "/", 2)[0], ".")
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
			status = "retrying (" + plural(s.Failures, "1 failure", "%d failures") + ")"
		} else if s.State == sources.Active {
			status = "ok"
		} else if s.State == sources.Failing {
			status = "failing (" + plural(s.Failures, "1 failure", "%d failures") + ")"
		}
		next := "not polled until /resumesource " + strconv.FormatInt(s.ID, 10)
		if !s.NextPoll.IsZero() {
			next = "next poll " + c.until(s.NextPoll)
		}
		lastNew := "nothing new yet"
		if !s.LastNew.IsZero() {
			lastNew = "last new " + ago(now, s.LastNew)
		}
		fmt.Fprintf(&b, "%d. %s — %s, every %s, %s, fetched %s, %s\n   %s\n", s.ID, s.Name, status, c.intervalText(s),
			next, ago(now, s.LastFetch), lastNew, sources.ShowURL(s.URL))
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
			return "Can't read " + sources.ShowURL(url) + ": " + sentence(msg), nil
		}
		return "", err
	}
	var b strings.Builder
	title := p.Feed.Title
	if title == "" {
		title = sources.ShowURL(p.URL)
	}
	fmt.Fprintf(&b, "%s — %s (%s).", title, plural(len(p.Feed.Items), "1 story", "%d stories"), p.Feed.Format)
	if len(p.Feed.Items) > 0 {
		b.WriteString(" Newest:")
	}
	now := c.opts.Now()
	for i, it := range p.Feed.Items {
		if i == 3 {
			break
		}
		when := "no date"
		if !it.Published.IsZero() {
			layout := "2 Jan 15:04 UTC"
			if it.Published.UTC().Year() != now.UTC().Year() {
				layout = "2 Jan 2006 15:04 UTC"
			}
			when = it.Published.UTC().Format(layout)
		}
		title := strings.TrimSpace(it.Title)
		if title == "" {
			title = summary.Headline(storytext.Clean(it.Content + "\n\n" + it.Summary))
		}
		if title == "" {
			title = "(untitled)"
		}
		fmt.Fprintf(&b, "\n• %s (%s)\n  %s", truncate(title, 200), when, it.Link)
	}
	if p.Discovered {
		fmt.Fprintf(&b, "\nFeed found on that page: %s", sources.ShowURL(p.URL))
	}
	return b.String(), nil
}
