package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/newsalert/newsalert/bot/schedule"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

const subscribeExample = `/subscribe "north korea" (russia OR putin)`

func (c *Commands) subscribe(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		return "Tell me what to look for, e.g. " + subscribeExample, nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	q, err := query.Parse(args, c.opts.QueryLimits)
	if err != nil {
		return fmt.Sprintf("Can't subscribe: %s Example: %s", sentence(queryError(err)), subscribeExample), nil
	}
	canonical := q.String()
	typed := strings.Join(strings.Fields(args), " ")
	sub, err := c.opts.Subscriptions.Add(ctx, req.Chat, canonical, req.User.Key(), c.opts.Now())
	switch {
	case errors.Is(err, subscriptions.ErrDuplicate):
		return fmt.Sprintf("This chat already has that subscription (#%d): %s. /list shows them all.", sub.Num, sub.Display()), nil
	case errors.Is(err, subscriptions.ErrTooMany):
		return fmt.Sprintf("This chat has %s, the most allowed. Remove one first: /list, then /unsubscribe N.", plural(c.opts.Subscriptions.MaxPerChat(), "1 subscription", "%d subscriptions")), nil
	case err != nil:
		return "", err
	}
	if err := c.opts.Subscriptions.SetTyped(ctx, sub.ID, typed); err != nil {
		c.log.Warn("cannot keep the query as typed; replies show its canonical form", "subscription", sub.ID, "err", err)
	}
	n := sub.Num
	return fmt.Sprintf("Subscribed (#%d): %s\nAlerts come here when a new story matches. /unsubscribe %d removes it.", n, typed, n), nil
}

func queryError(err error) string {
	var se *query.SyntaxError
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}

func (c *Commands) list(ctx context.Context, req Request) (string, error) {
	subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	if len(subs) == 0 {
		return "No subscriptions here yet. Try " + subscribeExample, nil
	}
	var b strings.Builder
	settings, err := c.opts.Chats.Get(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	if settings.Paused {
		b.WriteString("Alerts are paused here (/resume to restart).\n")
	}
	for _, s := range subs {
		fmt.Fprintf(&b, "%d. %s — %s\n", s.Num, s.Display(), subState(s, settings.Timezone))
	}
	b.WriteString("/unsubscribe N removes one; /pause N pauses it; /digest N daily 08:00 bundles its alerts.")
	return b.String(), nil
}

func (c *Commands) unsubscribe(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		return "Which one? /unsubscribe 2 removes #2 of /list; /unsubscribe all removes every one.", nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	if strings.EqualFold(args, "all") {
		n, err := c.opts.Subscriptions.RemoveAll(ctx, req.Chat)
		if err != nil {
			return "", err
		}
		if n == 0 {
			return "There were no subscriptions here.", nil
		}
		return plural(n, "Removed the one subscription", "Removed all %d subscriptions") + ". No more alerts here.", nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
	if err != nil {
		return fmt.Sprintf("%q is not a number. /list shows the numbers; /unsubscribe 2 removes #2.", args), nil
	}
	subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	sub, ok := byNum(subs, n)
	if !ok {
		if len(subs) == 0 {
			return "There are no subscriptions here.", nil
		}
		return fmt.Sprintf("There is no #%d; this chat has %s (see /list).", n, subNumbers(subs)), nil
	}
	// A subscription keeps its number until removed, so the same command
	// sent twice removes one subscription, then finds no #n. A request run
	// again after a crash repeats its first choice (rememberChoice).
	id, query, err := c.rememberChoice(ctx, req, sub)
	if err != nil {
		return "", err
	}
	if err := c.opts.Subscriptions.Remove(ctx, req.Chat, id); errors.Is(err, subscriptions.ErrNotFound) {
		return fmt.Sprintf("There is no #%d any more; see /list.", n), nil
	} else if err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed #%d: %s", n, query), nil
}

// rememberChoice returns the subscription this request chose the first
// time it ran (sub, unless it ran before a crash), so that running
// "/unsubscribe N" again removes nothing more. The query comes back as
// the user typed it.
func (c *Commands) rememberChoice(ctx context.Context, req Request, sub subscriptions.Subscription) (uint64, string, error) {
	if c.opts.Memo == nil || req.ID == "" {
		return sub.ID, sub.Display(), nil
	}
	v, err := c.opts.Memo.Remember(ctx, "unsubscribe:"+req.ID, strconv.FormatUint(sub.ID, 10)+" "+sub.Display())
	if err != nil {
		return 0, "", err
	}
	idText, query, _ := strings.Cut(v, " ")
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return sub.ID, sub.Display(), nil
	}
	return id, query, nil
}

// subState says, for /list, whether a subscription is paused and how its
// alerts come.
func subState(s subscriptions.Subscription, tz string) string {
	how := digestText(s.Digest, tz)
	if !s.Paused {
		return how
	}
	state := fmt.Sprintf("paused (/resume %d)", s.Num)
	if how != digestText("", tz) { // a digest is set
		state += "; " + how
	}
	return state
}

// pause answers /pause and /resume: with a number it pauses or resumes
// that subscription only, without one the whole chat.
func (c *Commands) pause(ctx context.Context, req Request, args string, paused bool) (string, error) {
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	if args != "" {
		return c.pauseOne(ctx, req, args, paused)
	}
	st, err := c.opts.Chats.Get(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	if st.Paused == paused {
		if paused {
			return "Alerts here are already paused; /resume restarts them.", nil
		}
		return "Alerts here are not paused; they come as stories match. /pause stops them.", nil
	}
	if err := c.opts.Chats.SetPaused(ctx, req.Chat, paused); err != nil {
		return "", err
	}
	if paused {
		return "Paused: no alerts here until /resume. Subscriptions are kept.", nil
	}
	return "Resumed: new matching stories will be alerted here again.", nil
}

// pauseOne pauses or resumes subscription number args of the chat: its
// matches make no alerts while it is paused; the chat's other
// subscriptions go on.
func (c *Commands) pauseOne(ctx context.Context, req Request, args string, paused bool) (string, error) {
	verb := "resume"
	if paused {
		verb = "pause"
	}
	n, err := strconv.Atoi(strings.TrimPrefix(args, "#"))
	if err != nil {
		return fmt.Sprintf("%q is not a number. /list shows the numbers; /%s 2 %ss #2, /%s alone the whole chat.", args, verb, verb, verb), nil
	}
	subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	sub, ok := byNum(subs, n)
	if !ok {
		return fmt.Sprintf("There is no #%d (see /list).", n), nil
	}
	err = c.opts.Subscriptions.SetPaused(ctx, req.Chat, sub.ID, paused, c.opts.Now())
	switch {
	case errors.Is(err, subscriptions.ErrNotFound):
		return fmt.Sprintf("There is no #%d any more (see /list).", n), nil
	case errors.Is(err, subscriptions.ErrUnchanged) && paused:
		return fmt.Sprintf("#%d is already paused. /resume %d restarts it.", n, n), nil
	case errors.Is(err, subscriptions.ErrUnchanged):
		return fmt.Sprintf("#%d is not paused. /pause %d pauses it.", n, n), nil
	case err != nil:
		return "", err
	}
	if paused {
		return fmt.Sprintf("Paused #%d: %s — its alerts stop until /resume %d.", n, sub.Display(), n), nil
	}
	reply := fmt.Sprintf("Resumed #%d: %s — new matching stories are alerted again.", n, sub.Display())
	if st, err := c.opts.Chats.Get(ctx, req.Chat); err == nil && st.Paused {
		reply += "\nAlerts to this whole chat are still paused; /resume restarts them."
	}
	return reply, nil
}

func (c *Commands) test(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		return "Give a query to try, e.g. /test ukraine grain", nil
	}
	q, err := query.Parse(args, c.opts.QueryLimits)
	if err != nil {
		return "That query has an error: " + sentence(queryError(err)), nil
	}
	recent, err := c.opts.Stories.Recent(ctx, 100)
	if err != nil {
		return "", err
	}
	if len(recent) == 0 {
		return "No stories seen yet to test against; try again once sources have been polled.", nil
	}
	var matched []sources.Story
	for _, st := range recent {
		if ok, _ := q.Eval(textnorm.NewDoc(st.Title, st.Text)); ok {
			matched = append(matched, st)
		}
	}
	hits, err := c.foldLines(ctx, req, matched)
	if err != nil {
		return "", err
	}
	shownQuery := strings.Join(strings.Fields(args), " ")
	window := plural(len(recent), "the one story seen so far", "the last %d stories")
	if len(hits) == 0 {
		return fmt.Sprintf("%s matches none of %s.", shownQuery, window), nil
	}
	shown := hits
	if len(shown) > 5 {
		shown = shown[:5]
	}
	more := ""
	if len(hits) > len(shown) {
		more = fmt.Sprintf("\n…and %d more.", len(hits)-len(shown))
	}
	return fmt.Sprintf("%s matches %d of %s:\n%s%s", shownQuery, len(hits), window, strings.Join(shown, "\n"), more), nil
}

// Complete suggests subscription numbers and source ids: for /pause the
// running subscriptions, for /resume the paused ones, "all" for
// /unsubscribe.
func (c *Commands) Complete(ctx context.Context, req Request, option, partial string) []Choice {
	var out []Choice
	switch option {
	case "number":
		subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
		if err != nil {
			return nil
		}
		cmd := strings.ToLower(req.Command)
		if cmd == "unsubscribe" && strings.HasPrefix("all", strings.ToLower(partial)) {
			out = append(out, Choice{Name: "all — remove every subscription", Value: "all"})
		}
		for _, s := range subs {
			if (cmd == "pause" && s.Paused) || (cmd == "resume" && !s.Paused) {
				continue // only the ones the command would change
			}
			n := strconv.Itoa(s.Num)
			if strings.HasPrefix(n, partial) || strings.Contains(strings.ToLower(s.Display()), strings.ToLower(partial)) {
				out = append(out, Choice{Name: truncate(n+". "+s.Display(), 100), Value: n})
			}
		}
	case "id":
		if !c.isAdmin(req.User) {
			return nil
		}
		srcs, err := c.opts.Registry.List(ctx)
		if err != nil {
			return nil
		}
		for _, s := range srcs {
			id := strconv.FormatInt(s.ID, 10)
			if strings.HasPrefix(id, partial) || strings.Contains(strings.ToLower(s.Name), strings.ToLower(partial)) {
				out = append(out, Choice{Name: truncate(id+". "+s.Name, 100), Value: id})
			}
		}
	}
	if len(out) > 25 { // Discord's limit on choices
		out = out[:25]
	}
	return out
}

// byNum finds the subscription numbered n.
func byNum(subs []subscriptions.Subscription, n int) (subscriptions.Subscription, bool) {
	for _, s := range subs {
		if s.Num == n {
			return s, true
		}
	}
	return subscriptions.Subscription{}, false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// digestText says how a subscription's alerts come, for /list.
func digestText(digest, tz string) string {
	d, err := schedule.ParseDigest(digest)
	if digest == "" || err != nil {
		return "alerts as stories come"
	}
	switch d.Mode {
	case schedule.Hourly:
		return "hourly digest"
	case schedule.Daily:
		return fmt.Sprintf("daily digest at %s (%s)", d.At.String(), orUTC(tz))
	}
	return "alerts as stories come"
}

// subNumbers names the numbers a chat's subscriptions have now ("#2",
// "#1 and #3", "#1, #2 and #5"): with numbers that stay their own until
// removed, a count alone would not tell which exist.
func subNumbers(subs []subscriptions.Subscription) string {
	nums := make([]string, len(subs))
	for i, s := range subs {
		nums[i] = "#" + strconv.Itoa(s.Num)
	}
	if len(nums) <= 1 {
		return strings.Join(nums, "")
	}
	return strings.Join(nums[:len(nums)-1], ", ") + " and " + nums[len(nums)-1]
}
