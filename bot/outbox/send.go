package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/schedule"
	"github.com/newsalert/newsalert/internal/secret"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// pending is an entry ready to send, with its alert.
type pending struct {
	entry Entry
	alert bot.Alert
}

// deliver sends one batch of a chat's entries, acknowledging each entry once
// it is delivered or dropped.
func (d *Deliverer) deliver(ctx context.Context, chat subscriptions.Chat, p Platform, batch []Entry) {
	if p == nil {
		d.log.Error("delivery: no adapter for platform; dropping alerts", "chat", chat.String(), "alerts", len(batch))
		d.opts.Metrics.Dropped("no_platform", len(batch))
		d.ackEntries(ctx, batch)
		return
	}
	settings, err := d.opts.Chats.Get(ctx, chat)
	if err != nil {
		d.log.Warn("delivery: cannot read chat settings; will retry", "chat", chat.String(), "err", err)
		return
	}
	if settings.Paused || (settings.Gone && d.opts.Now().Sub(settings.GoneAt) < d.opts.GoneRetry) {
		d.log.Info("delivery: chat paused or gone; dropping alerts", "chat", chat.String(), "alerts", len(batch))
		if settings.Gone {
			d.opts.Metrics.Dropped("chat_gone", len(batch))
			d.remember(ctx, chat, d.dropEvents(ctx, batch, "the chat no longer accepts the bot's messages")...)
		} else {
			d.opts.Metrics.Dropped("chat_paused", len(batch))
			d.remember(ctx, chat, d.dropEvents(ctx, batch, "alerts were paused in this chat")...)
		}
		d.ackEntries(ctx, batch)
		return
	}
	now := d.opts.Now()
	var todo []pending
	var possibleDup bool
	for _, e := range batch {
		if e.AlsoOf != "" {
			d.also(ctx, chat, p, e)
			continue
		}
		rec, err := d.opts.Records.Get(ctx, chat, e.StoryID)
		if err != nil {
			d.log.Warn("delivery: cannot read delivery record; will retry", "chat", chat.String(), "err", err)
			return
		}
		if rec.State == Sent {
			d.ackEntries(ctx, []Entry{e})
			continue
		}
		if rec.State == Sending && e.Reclaimed && now.Sub(rec.Started) < d.opts.ReclaimIdle {
			// Taken over from a consumer that began sending a moment ago:
			// it may still be at it. Leave the entry pending; once the
			// attempt is older than ReclaimIdle it is offered again.
			continue
		}
		if rec.State == Sending {
			// An earlier attempt's outcome is unknown: send again and accept
			// that the chat may see this story twice (counted).
			possibleDup = true
			d.opts.Metrics.Duplicated(chat.Platform, 1)
		}
		if now.Sub(e.Enqueued) > d.opts.MaxAge && !e.Digest {
			d.log.Info("delivery: alert too old; dropped", "chat", chat.String(), "story_id", e.StoryID, "age", now.Sub(e.Enqueued).Round(time.Second).String())
			d.opts.Metrics.Dropped("stale", 1)
			d.remember(ctx, chat, d.dropEvents(ctx, []Entry{e}, "still unsent after "+d.opts.MaxAge.String())...)
			d.ackEntries(ctx, []Entry{e})
			continue
		}
		if paused, err := d.subscriptionsPaused(ctx, e); err != nil {
			d.log.Warn("delivery: cannot read paused subscriptions; will retry", "chat", chat.String(), "err", err)
			return
		} else if paused {
			d.opts.Metrics.Dropped("subscription_paused", 1)
			d.remember(ctx, chat, d.dropEvents(ctx, []Entry{e}, "its subscription was paused")...)
			d.ackEntries(ctx, []Entry{e})
			continue
		}
		release, err := d.releaseOf(ctx, settings, e, now)
		if err != nil {
			d.log.Warn("delivery: cannot read digest settings; will retry", "chat", chat.String(), "err", err)
			return
		}
		if release.After(now) {
			if err := d.opts.Held.Hold(ctx, e, release); err != nil {
				d.log.Warn("delivery: cannot hold alert; will retry", "chat", chat.String(), "err", err)
				return
			}
			if d.opts.History != nil {
				ev := d.eventOf(ctx, e, OutcomeHeld, "")
				ev.Until = release
				d.remember(ctx, chat, ev)
			}
			d.ackEntries(ctx, []Entry{e})
			continue
		}
		st, err := d.opts.Stories.Get(ctx, e.StoryID)
		if errors.Is(err, sources.ErrStoryNotFound) {
			d.log.Warn("delivery: story expired before delivery; dropped", "chat", chat.String(), "story_id", e.StoryID)
			d.opts.Metrics.Dropped("story_expired", 1)
			d.remember(ctx, chat, d.dropEvents(ctx, []Entry{e}, "the story expired before delivery")...)
			d.ackEntries(ctx, []Entry{e})
			continue
		}
		if err != nil {
			d.log.Warn("delivery: cannot load story; will retry", "story_id", e.StoryID, "err", err)
			return
		}
		al, err := d.alertOf(ctx, st, e.Terms, p.Limits().SummaryRunes)
		if err != nil {
			d.log.Warn("delivery: cannot build alert; will retry", "story_id", e.StoryID, "err", err)
			return
		}
		todo = append(todo, pending{entry: e, alert: al})
	}
	if len(todo) == 0 {
		return
	}
	if loc, err := schedule.ParseTimezone(orUTC(settings.Timezone)); err == nil {
		for i := range todo {
			todo[i].alert.Location = loc
		}
	}
	if possibleDup {
		d.log.Warn("delivery: resending after an attempt with unknown outcome; the chat may get a duplicate", "chat", chat.String())
	}
	// Alerts released from quiet hours or a digest, and a backlog too big
	// for one message, come as one digest.
	if len(todo) > p.Limits().MaxBatch || slices.ContainsFunc(todo, func(t pending) bool { return t.entry.Digest }) {
		d.send(ctx, chat, digestPlatform{p}, todo, settings.Gone)
		return
	}
	if settings.Webhook != "" {
		if ws, ok := p.(webhookSender); ok {
			p = webhookPlatform{Platform: p, ws: ws, url: secret.New(settings.Webhook)}
		}
	}
	d.send(ctx, chat, p, todo, settings.Gone)
}

// subscriptionsPaused tells whether every subscription that matched e was
// paused (/pause N) after it was queued or held: such an alert is not
// sent. A removed subscription does not count as paused.
func (d *Deliverer) subscriptionsPaused(ctx context.Context, e Entry) (bool, error) {
	if d.opts.Subscriptions == nil || len(e.SubIDs) == 0 {
		return false, nil
	}
	paused, err := d.opts.Subscriptions.Paused(ctx, e.SubIDs)
	if err != nil {
		return false, err
	}
	for _, id := range e.SubIDs {
		if !paused[id] {
			return false, nil
		}
	}
	return true, nil
}

// webhookSender delivers alerts through a webhook (Discord).
type webhookSender interface {
	SendWebhook(ctx context.Context, webhookURL secret.String, batch []bot.Alert) (bot.Receipt, bool, error)
}

// webhookPlatform sends a chat's alerts through its webhook.
type webhookPlatform struct {
	Platform
	ws  webhookSender
	url secret.String
}

func (w webhookPlatform) Send(ctx context.Context, chat subscriptions.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	return w.ws.SendWebhook(ctx, w.url, batch)
}

func (d *Deliverer) alertOf(ctx context.Context, st sources.Story, terms []string, budget int) (bot.Alert, error) {
	also, err := d.opts.Records.Also(ctx, st.ID)
	if err != nil {
		return bot.Alert{}, err
	}
	return bot.Alert{
		StoryID:        st.ID,
		Title:          st.Title,
		Link:           st.Link,
		Source:         st.SourceName,
		Published:      st.Published,
		Summary:        d.opts.Summarize(st.Title, st.Text, terms, budget),
		Terms:          terms,
		ImageURL:       st.ImageURL,
		AlsoReportedBy: also,
	}, nil
}

// also updates the chat's alert for e.AlsoOf with the sources that carried
// the same story since. The list is read when the alert is rendered, so an
// alert not yet sent needs nothing; one sent by a platform that cannot edit
// keeps its text, and the duplicate is dropped (logged). An edit that would
// not change the message (the same alerts with the same "also reported by"
// list as last shown) is not sent.
func (d *Deliverer) also(ctx context.Context, chat subscriptions.Chat, p Platform, e Entry) {
	defer d.ackEntries(ctx, []Entry{e})
	if d.opts.History != nil {
		ev := d.eventOf(ctx, e, OutcomeFolded, "")
		ev.FoldedInto = e.AlsoOf
		d.remember(ctx, chat, ev)
	}
	rec, err := d.opts.Records.Get(ctx, chat, e.AlsoOf)
	if err != nil || rec.State != Sent || rec.MessageID == "" {
		return
	}
	ed, ok := p.(bot.Editor)
	if !ok {
		d.log.Info("delivery: duplicate story dropped (platform cannot edit)", "chat", chat.String(), "story_id", e.StoryID)
		d.opts.Metrics.Dropped("duplicate_story", 1)
		return
	}
	items, err := d.opts.Records.Message(ctx, chat, rec.MessageID)
	if err != nil || len(items) == 0 {
		return
	}
	var batch []bot.Alert
	for _, it := range items {
		st, err := d.opts.Stories.Get(ctx, it.StoryID)
		if err != nil {
			return // expired: leave the message as it is
		}
		al, err := d.alertOf(ctx, st, it.Terms, p.Limits().SummaryRunes)
		if err != nil {
			return
		}
		batch = append(batch, al)
	}
	sig := alertsSignature(batch)
	if shown, err := d.opts.Records.Rendered(ctx, chat, rec.MessageID); err == nil && shown == sig {
		d.opts.Metrics.Edited("unchanged")
		d.log.Debug("delivery: alert already shows every source; no edit", "chat", chat.String(), "message", rec.MessageID)
		return
	}
	if _, err := ed.Edit(ctx, chat, rec.MessageID, batch); err != nil {
		d.opts.Metrics.Edited("failed")
		d.log.Warn("delivery: cannot add also-reported-by to the alert", "chat", chat.String(), "message", rec.MessageID, "err", err)
		return
	}
	d.opts.Metrics.Edited("sent")
	if err := d.opts.Records.SaveRendered(context.WithoutCancel(ctx), chat, rec.MessageID, sig); err != nil {
		d.log.Warn("delivery: cannot record the edited message", "chat", chat.String(), "err", err)
	}
}

// alertsSignature identifies what a message carrying batch shows: adapters
// render alerts deterministically, so equal signatures mean an edit would
// not change the message.
func alertsSignature(batch []bot.Alert) string {
	b, _ := json.Marshal(batch) // plain strings, times and slices: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// send tries the batch up to Attempts times, then leaves it pending for
// the reaper. gone says the chat is marked gone (a retry after GoneRetry):
// success reactivates it.
func (d *Deliverer) send(ctx context.Context, chat subscriptions.Chat, p Platform, todo []pending, gone bool) {
	alerts := make([]bot.Alert, len(todo))
	for i, t := range todo {
		alerts[i] = t.alert
	}
	bo := newBackoff(500*time.Millisecond, 30*time.Second)
	for attempt := 1; attempt <= d.opts.Attempts && ctx.Err() == nil; attempt++ {
		select {
		case d.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		now := d.opts.Now()
		for _, t := range todo {
			if err := d.opts.Records.Begin(ctx, chat, t.entry.StoryID, now); err != nil {
				<-d.slots
				d.log.Warn("delivery: cannot write delivery record; will retry", "chat", chat.String(), "err", err)
				return
			}
		}
		receipt, retry, err := p.Send(ctx, chat, alerts)
		<-d.slots
		if err == nil {
			d.recordSent(context.WithoutCancel(ctx), chat, todo, receipt)
			if gone {
				d.reachable(context.WithoutCancel(ctx), chat)
			}
			for _, t := range todo {
				d.opts.Metrics.Sent(chat.Platform, 1, d.opts.Now().Sub(t.entry.Enqueued))
			}
			d.opts.Records.CountSent(context.WithoutCancel(ctx), now, len(todo))
			d.remember(ctx, chat, d.sentEvents(todo)...)
			d.ackEntries(ctx, entriesOf(todo))
			d.log.Debug("delivery: sent", "chat", chat.String(), "alerts", len(todo))
			return
		}
		d.opts.Metrics.Failed(chat.Platform)
		var moved *bot.ChatMovedError
		if errors.As(err, &moved) && moved.To != chat {
			d.forget(ctx, chat, todo)
			if !d.moveChat(ctx, chat, moved.To) {
				sleep(ctx, bo.next())
				continue
			}
			chat = moved.To // the same alerts, to the chat's new id
			continue
		}
		if errors.Is(err, bot.ErrChatGone) {
			d.opts.Metrics.Dropped("chat_gone", len(todo))
			d.remember(ctx, chat, d.dropEvents(ctx, entriesOf(todo), "the chat no longer accepts the bot's messages")...)
			d.deactivate(ctx, chat, err, now)
			d.forget(ctx, chat, todo)
			d.ackEntries(ctx, entriesOf(todo))
			return
		}
		if !retry {
			d.log.Error("delivery: platform refused the alert; dropped", "chat", chat.String(), "err", err)
			d.opts.Metrics.Dropped("refused", len(todo))
			d.remember(ctx, chat, d.dropEvents(ctx, entriesOf(todo), "the platform refused it")...)
			d.forget(ctx, chat, todo)
			d.ackEntries(ctx, entriesOf(todo))
			return
		}
		if !errors.Is(err, bot.ErrOutcomeUnknown) {
			d.forget(ctx, chat, todo) // surely not delivered
		}
		wait := bo.next()
		var ra *bot.RetryAfterError
		if errors.As(err, &ra) {
			wait = max(ra.After, 100*time.Millisecond)
			d.opts.Metrics.RateLimited(chat.Platform)
		}
		d.log.Info("delivery: send failed; retrying", "chat", chat.String(), "attempt", attempt, "in", wait.String(), "err", err)
		sleep(ctx, wait)
	}
	d.log.Warn("delivery: giving up for now; the alerts stay queued", "chat", chat.String(), "alerts", len(todo))
}

// moveChat moves chat's subscriptions and settings to its new id; it
// reports whether they moved.
func (d *Deliverer) moveChat(ctx context.Context, from, to subscriptions.Chat) bool {
	if d.opts.Subscriptions == nil {
		d.log.Error("delivery: chat moved but subscriptions are not wired; alerts stay queued", "from", from.String(), "to", to.String())
		return false
	}
	n, err := subscriptions.MoveChat(ctx, d.opts.Subscriptions, d.opts.Chats, from, to)
	if err != nil {
		d.log.Warn("delivery: chat moved; cannot move its subscriptions yet", "from", from.String(), "to", to.String(), "err", err)
		return false
	}
	d.opts.Metrics.ChatChanged("migrated")
	d.log.Info("delivery: chat moved to a new id; subscriptions, settings and alerts follow", "from", from.String(), "to", to.String(), "subscriptions", n)
	return true
}

// deactivate marks chat gone after the platform refused it: logged and
// counted once, listed by /stats, and reversed when the chat is reachable
// again.
func (d *Deliverer) deactivate(ctx context.Context, chat subscriptions.Chat, reason error, now time.Time) {
	fresh, err := d.opts.Chats.MarkGone(ctx, chat, reason.Error(), now)
	if err != nil {
		d.log.Warn("delivery: cannot mark chat gone", "chat", chat.String(), "err", err)
		return
	}
	if fresh {
		d.opts.Metrics.ChatChanged("deactivated")
	}
	d.log.Warn("delivery: chat deactivated: no longer reachable; its alerts stop until it is", "chat", chat.String(), "err", reason)
}

// reachable clears chat's gone mark after the platform accepted an alert
// for it (a retry after GoneRetry, or a chat reactivated meanwhile).
func (d *Deliverer) reachable(ctx context.Context, chat subscriptions.Chat) {
	was, err := d.opts.Chats.Seen(ctx, chat)
	if err != nil {
		d.log.Warn("delivery: cannot clear gone mark", "chat", chat.String(), "err", err)
		return
	}
	if was {
		d.opts.Metrics.ChatChanged("reactivated")
		d.log.Info("chat reactivated: alerts resume", "chat", chat.String(), "why", "the platform accepted an alert again")
	}
}

func (d *Deliverer) forget(ctx context.Context, chat subscriptions.Chat, todo []pending) {
	for _, t := range todo {
		if err := d.opts.Records.Forget(context.WithoutCancel(ctx), chat, t.entry.StoryID); err != nil {
			d.log.Warn("delivery: cannot clear delivery record", "chat", chat.String(), "err", err)
		}
	}
}

func entriesOf(todo []pending) []Entry {
	out := make([]Entry, len(todo))
	for i, t := range todo {
		out[i] = t.entry
	}
	return out
}

// recordSent writes the delivery records and, per message, which alerts it
// carries.
func (d *Deliverer) recordSent(ctx context.Context, chat subscriptions.Chat, todo []pending, receipt bot.Receipt) {
	messages := map[string][]MessageItem{}
	shown := map[string][]bot.Alert{}
	var order []string
	for i, t := range todo {
		msgID := ""
		if i < len(receipt.MessageIDs) {
			msgID = receipt.MessageIDs[i]
		}
		if err := d.opts.Records.Done(ctx, chat, t.entry.StoryID, msgID); err != nil {
			d.log.Warn("delivery: sent but cannot record it", "chat", chat.String(), "err", err)
		}
		if msgID != "" {
			if _, ok := messages[msgID]; !ok {
				order = append(order, msgID)
			}
			messages[msgID] = append(messages[msgID], MessageItem{StoryID: t.entry.StoryID, Terms: t.entry.Terms})
			shown[msgID] = append(shown[msgID], t.alert)
		}
	}
	for _, id := range order {
		if err := d.opts.Records.SaveMessage(ctx, chat, id, messages[id]); err != nil {
			d.log.Warn("delivery: cannot record message contents", "chat", chat.String(), "err", err)
		}
		if err := d.opts.Records.SaveRendered(ctx, chat, id, alertsSignature(shown[id])); err != nil {
			d.log.Warn("delivery: cannot record message contents", "chat", chat.String(), "err", err)
		}
	}
}
