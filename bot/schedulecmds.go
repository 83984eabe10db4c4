package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/newsalert/newsalert/bot/discord/webhookurl"
	"github.com/newsalert/newsalert/bot/schedule"
	"github.com/newsalert/newsalert/subscriptions"
)

func (c *Commands) timezone(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		st, err := c.opts.Chats.Get(ctx, req.Chat)
		if err != nil {
			return "", err
		}
		tz := st.Timezone
		if tz == "" {
			tz = "UTC"
		}
		return fmt.Sprintf("This chat's time zone is %s. Change it like this: /timezone Europe/Berlin", tz), nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	loc, err := schedule.ParseTimezone(args)
	if err != nil {
		return "Can't set the time zone: " + sentence(err.Error()), nil
	}
	if err := c.opts.Chats.SetTimezone(ctx, req.Chat, loc.String()); err != nil {
		return "", err
	}
	return fmt.Sprintf("Time zone set to %s; alert times, quiet hours and daily digests follow it.", loc.String()), nil
}

func (c *Commands) quiet(ctx context.Context, req Request, args string) (string, error) {
	if args == "" {
		st, err := c.opts.Chats.Get(ctx, req.Chat)
		if err != nil {
			return "", err
		}
		if q, _ := schedule.ParseQuiet(st.Quiet); st.Quiet != "" && q.On {
			return fmt.Sprintf("Quiet hours: %s (%s). /quiet off ends them.", q.String(), orUTC(st.Timezone)), nil
		}
		return "No quiet hours. Set some like this: /quiet 22:00-07:00", nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	q, err := schedule.ParseQuiet(args)
	if err != nil {
		return "Can't set quiet hours: " + sentence(err.Error()), nil
	}
	if err := c.opts.Chats.SetQuiet(ctx, req.Chat, q.String()); err != nil {
		return "", err
	}
	if !q.On {
		return "Quiet hours off: alerts come as they happen.", nil
	}
	st, err := c.opts.Chats.Get(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Quiet hours %s (%s): alerts are held and come as one digest when they end. /timezone changes the zone.", q.String(), orUTC(st.Timezone)), nil
}

func orUTC(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

// digest handles "/digest [N] off|hourly|daily HH:MM".
func (c *Commands) digest(ctx context.Context, req Request, args string) (string, error) {
	const usage = "/digest 2 daily 08:00 bundles subscription #2's alerts once a day; hourly, or off, also work"
	if args == "" {
		return "Which subscription, and how? " + usage + ".", nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	subs, err := c.opts.Subscriptions.List(ctx, req.Chat)
	if err != nil {
		return "", err
	}
	if len(subs) == 0 {
		return "There are no subscriptions here yet. Try " + subscribeExample, nil
	}
	n, rest := 0, args
	if first, after, _ := strings.Cut(args, " "); first != "" {
		if v, err := strconv.Atoi(strings.TrimPrefix(first, "#")); err == nil {
			n, rest = v, strings.TrimSpace(after)
		}
	}
	if n == 0 {
		if len(subs) > 1 {
			return fmt.Sprintf("This chat has %d subscriptions: say which, e.g. %s (numbers from /list).", len(subs), usage), nil
		}
		n = subs[0].Num
	}
	sub, ok := byNum(subs, n)
	if !ok {
		return fmt.Sprintf("There is no #%d; this chat has %s (see /list).", n, subNumbers(subs)), nil
	}
	d, err := schedule.ParseDigest(rest)
	if err != nil {
		return "Can't set the digest: " + sentence(err.Error()), nil
	}
	if err := c.opts.Subscriptions.SetDigest(ctx, req.Chat, sub.ID, d.String()); errors.Is(err, subscriptions.ErrNotFound) {
		return fmt.Sprintf("Subscription #%d was just removed; see /list.", n), nil
	} else if err != nil {
		return "", err
	}
	switch d.Mode {
	case schedule.Hourly:
		return fmt.Sprintf("#%d (%s) now comes as one digest an hour.", n, sub.Display()), nil
	case schedule.Daily:
		st, err := c.opts.Chats.Get(ctx, req.Chat)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("#%d (%s) now comes as one digest a day at %s (%s).", n, sub.Display(), d.At.String(), orUTC(st.Timezone)), nil
	}
	return fmt.Sprintf("#%d (%s) now alerts as stories come.", n, sub.Display()), nil
}

// webhook sets or clears the Discord webhook a channel's alerts go through.
func (c *Commands) webhook(ctx context.Context, req Request, args string) (string, error) {
	if req.Chat.Platform != "discord" {
		return "Webhooks are a Discord feature; here alerts come from the bot itself.", nil
	}
	if args == "" {
		return "Give the channel's webhook URL (Channel settings → Integrations → Webhooks → Copy URL), or off.", nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	if strings.EqualFold(args, "off") {
		if err := c.opts.Chats.SetWebhook(ctx, req.Chat, ""); err != nil {
			return "", err
		}
		return "Webhook removed: alerts come from the bot again.", nil
	}
	// The parser delivery uses: a URL accepted here is one alerts can go
	// through.
	id, _, err := webhookurl.Parse(args)
	if err != nil {
		return "That is not a Discord webhook URL: " + err.Error() + "; it looks like https://discord.com/api/webhooks/123456/abcdef.", nil
	}
	if err := c.opts.Chats.SetWebhook(ctx, req.Chat, strings.TrimSpace(args)); err != nil {
		return "", err
	}
	return fmt.Sprintf("Alerts for this channel now go through webhook %s, with its name and avatar. /webhook off undoes it.", id), nil
}
