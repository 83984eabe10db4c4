package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
		return fmt.Sprintf("Can't subscribe: %s. Example: %s", queryError(err), subscribeExample), nil
	}
	canonical := q.String()
	sub, err := c.opts.Subscriptions.Add(ctx, req.Chat, canonical, req.User.Key(), c.opts.Now())
	switch {
	case errors.Is(err, subscriptions.ErrDuplicate):
		return fmt.Sprintf("This chat already has that subscription (#%d). /list shows them all.", sub.Num), nil
	case errors.Is(err, subscriptions.ErrTooMany):
		return fmt.Sprintf("This chat has %d subscriptions, the most allowed. Remove one first: /list, then /unsubscribe N.", c.opts.Subscriptions.MaxPerChat()), nil
	case err != nil:
		return "", err
	}
	n := sub.Num
	return fmt.Sprintf("Subscribed (#%d): %s\nAlerts come here when a new story matches. /unsubscribe %d removes it.", n, canonical, n), nil
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
		fmt.Fprintf(&b, "%d. %s\n", s.Num, s.Query)
	}
	b.WriteString("/unsubscribe N removes one.")
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
		return fmt.Sprintf("Removed all %d subscriptions. No more alerts here.", n), nil
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
		return fmt.Sprintf("There is no #%d; this chat has %d (see /list).", n, len(subs)), nil
	}
	// A subscription keeps its number until removed, so the same command
	// sent twice removes one subscription, then finds no #n.
	if err := c.opts.Subscriptions.Remove(ctx, req.Chat, sub.ID); errors.Is(err, subscriptions.ErrNotFound) {
		return fmt.Sprintf("There is no #%d any more; see /list.", n), nil
	} else if err != nil {
		return "", err
	}
	return fmt.Sprintf("Removed #%d: %s", n, sub.Query), nil
}

func (c *Commands) pause(ctx context.Context, req Request, paused bool) (string, error) {
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	if err := c.opts.Chats.SetPaused(ctx, req.Chat, paused); err != nil {
		return "", err
	}
	if paused {
		return "Paused: no alerts here until /resume. Subscriptions are kept.", nil
	}
	return "Resumed: new matching stories will be alerted here again.", nil
}

func (c *Commands) test(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		return "Give a query to try, e.g. /test ukraine grain", nil
	}
	q, err := query.Parse(args, c.opts.QueryLimits)
	if err != nil {
		return fmt.Sprintf("That query has an error: %s.", queryError(err)), nil
	}
	recent, err := c.opts.Stories.Recent(ctx, 100)
	if err != nil {
		return "", err
	}
	if len(recent) == 0 {
		return "No stories seen yet to test against; try again once sources have been polled.", nil
	}
	var hits []string
	for _, st := range recent {
		if ok, _ := q.Eval(textnorm.NewDoc(st.Title, st.Text)); ok {
			hits = append(hits, fmt.Sprintf("• %s (%s)", st.Title, st.SourceName))
		}
	}
	if len(hits) == 0 {
		return fmt.Sprintf("%s matches none of the last %d stories.", q.String(), len(recent)), nil
	}
	shown := hits
	if len(shown) > 5 {
		shown = shown[:5]
	}
	more := ""
	if len(hits) > len(shown) {
		more = fmt.Sprintf("\n…and %d more.", len(hits)-len(shown))
	}
	return fmt.Sprintf("%s matches %d of the last %d stories:\n%s%s", q.String(), len(hits), len(recent), strings.Join(shown, "\n"), more), nil
}

// Complete suggests subscription numbers and source ids.
func (c *Commands) Complete(ctx context.Context, req Request, option, partial string) []Choice {
	var out []Choice
	switch option {
	case "number":
		subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
		if err != nil {
			return nil
		}
		if strings.HasPrefix("all", strings.ToLower(partial)) {
			out = append(out, Choice{Name: "all — remove every subscription", Value: "all"})
		}
		for _, s := range subs {
			n := strconv.Itoa(s.Num)
			if strings.HasPrefix(n, partial) || strings.Contains(strings.ToLower(s.Query), strings.ToLower(partial)) {
				out = append(out, Choice{Name: truncate(n+". "+s.Query, 100), Value: n})
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
