package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

// Interaction response types and message flags.
const (
	respPong           = 1
	respMessage        = 4
	respDeferred       = 5
	respAutocomplete   = 8
	flagEphemeral      = 64
	interactionWindow  = 15 * time.Minute // an interaction token's lifetime
	windowMargin       = 30 * time.Second
	autocompleteBudget = 2500 * time.Millisecond // of the 3 s Discord waits
)

type (
	interactionResponse struct {
		Type int           `json:"type"`
		Data *responseData `json:"data,omitempty"`
	}
	responseData struct {
		Content         string           `json:"content,omitempty"`
		Flags           int              `json:"flags,omitempty"`
		AllowedMentions *allowedMentions `json:"allowed_mentions,omitempty"`
		Choices         *[]choiceJSON    `json:"choices,omitempty"`
	}
	choiceJSON struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
)

// callbackResponder answers a gateway interaction through
// POST /interactions/{id}/{token}/callback.
func (a *Adapter) callbackResponder(in *discordgo.Interaction) func(context.Context, *interactionResponse) error {
	return func(ctx context.Context, resp *interactionResponse) error {
		return a.rest.do(ctx, &request{
			method: http.MethodPost, route: "/interactions/{interaction_id}/{interaction_token}/callback",
			major: in.ID, path: "/interactions/" + in.ID + "/" + in.Token + "/callback",
			body: resp, exemptGlobal: true, hidden: secret.New(in.Token),
		}, nil)
	}
}

// run answers one interaction.
func (a *Adapter) run(ctx context.Context, h bot.Handler, j job) {
	switch j.in.Type {
	case discordgo.InteractionApplicationCommand:
		a.command(ctx, h, j)
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, j)
	default:
		a.log.Debug("discord interaction ignored", "interaction_id", j.in.ID, "type", int(j.in.Type))
	}
}

// command runs a slash command through h. The answer goes in the initial
// response when h is quick; when the command reports a slow step (adding or
// testing a source, an import), after deferAfter, or when it was already
// deferred while it waited its turn, the interaction is deferred and the
// answer follows through the interaction's webhook, within its 15-minute
// lifetime.
func (a *Adapter) command(ctx context.Context, h bot.Handler, j job) {
	deferred := j.start != nil && j.start.begin()
	if deferred {
		<-j.start.sent // the follow-up must come after the deferral
	}
	inv, err := readInvocation(j.in)
	if err != nil {
		a.log.Warn("discord command unreadable", "interaction_id", j.in.ID, "err", err)
		r := bot.Reply{Text: "Sorry, I could not read that command.", Private: true}
		if deferred {
			a.finishDeferred(ctx, j, r)
			return
		}
		a.respondText(ctx, j, r)
		return
	}
	req := a.request(j.in, inv)
	// Durations count from receipt (the interaction may have waited for Serve).
	elapsed := max(0, a.now().Sub(j.received))
	hctx, cancel := context.WithTimeout(ctx, interactionWindow-windowMargin-elapsed)
	defer cancel()
	done := make(chan bot.Reply, 1)
	slow := make(chan struct{})
	go func() { // always received below
		if inv.attachment != nil {
			att, err := a.download(hctx, inv.attachment)
			if err != nil {
				a.log.Info("discord attachment not read", "interaction_id", j.in.ID, "err", err)
				msg := "I could not read the attached file."
				if errors.Is(err, errAttachment) {
					msg = "I could not use the attached file: " + strings.TrimPrefix(err.Error(), errAttachment.Error()+": ") + "."
				}
				done <- bot.Reply{Text: msg, Private: true}
				return
			}
			req.Attachment = att
		}
		r, _ := bot.HandleWithAck(hctx, h, req, bot.DefaultAckDelay, func(string) { close(slow) })
		done <- r
	}()
	if deferred {
		a.finishDeferred(hctx, j, <-done)
		return
	}
	wait := a.deferAfter - elapsed
	if inv.command == "testsource" {
		wait = 0
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case r := <-done:
			t.Stop()
			a.respondText(ctx, j, r)
			return
		case <-slow:
			t.Stop()
		case <-t.C:
		}
	}
	ok := a.respond(ctx, j, &interactionResponse{Type: respDeferred, Data: &responseData{Flags: flagEphemeral}})
	r := <-done
	if !ok {
		return
	}
	a.finishDeferred(hctx, j, r)
}

// respond sends the initial response and logs a failure.
func (a *Adapter) respond(ctx context.Context, j job, resp *interactionResponse) bool {
	if err := j.respond(ctx, resp); err != nil {
		a.log.Warn("discord interaction response failed", "interaction_id", j.in.ID, "type", resp.Type, "err", err)
		return false
	}
	return true
}

// respondText answers with r: the first 2000 characters in the initial
// response, the rest as followups.
func (a *Adapter) respondText(ctx context.Context, j job, r bot.Reply) {
	parts := replyContent(r.Text)
	flags := 0
	if r.Private {
		flags = flagEphemeral
	}
	if !a.respond(ctx, j, &interactionResponse{Type: respMessage,
		Data: &responseData{Content: parts[0], Flags: flags, AllowedMentions: noMentions()}}) {
		return
	}
	a.followups(ctx, j, parts[1:], flags)
	if r.File != nil {
		a.sendFile(ctx, j, r.File, flags)
	}
}

// finishDeferred delivers the answer of a deferred command. The deferral
// was ephemeral (the command's privacy was not known yet): a private answer
// replaces it; a public one replaces it with a followup everyone sees.
func (a *Adapter) finishDeferred(ctx context.Context, j job, r bot.Reply) {
	parts := replyContent(r.Text)
	if r.Private {
		err := a.rest.do(ctx, a.webhookRequest(j.in, http.MethodPatch, "/messages/@original",
			&messagePayload{Content: parts[0], AllowedMentions: noMentions()}), nil)
		if err != nil {
			a.log.Warn("discord deferred answer failed", "interaction_id", j.in.ID, "err", err)
			return
		}
		a.followups(ctx, j, parts[1:], flagEphemeral)
		if r.File != nil {
			a.sendFile(ctx, j, r.File, flagEphemeral)
		}
		return
	}
	if err := a.rest.do(ctx, a.webhookRequest(j.in, http.MethodDelete, "/messages/@original", nil), nil); err != nil {
		a.log.Warn("discord deferred placeholder not removed", "interaction_id", j.in.ID, "err", err)
	}
	a.followups(ctx, j, parts, 0)
	if r.File != nil {
		a.sendFile(ctx, j, r.File, 0)
	}
}

// followups posts messages through the interaction's webhook.
func (a *Adapter) followups(ctx context.Context, j job, parts []string, flags int) {
	for _, p := range parts {
		err := a.rest.do(ctx, a.webhookRequest(j.in, http.MethodPost, "",
			&messagePayload{Content: p, Flags: flags, AllowedMentions: noMentions()}), nil)
		if err != nil {
			a.log.Warn("discord followup failed", "interaction_id", j.in.ID, "err", err)
			return
		}
	}
}

// webhookRequest addresses the interaction's webhook (followups and the
// original response), which needs no bot token and is exempt from the
// global limit.
func (a *Adapter) webhookRequest(in *discordgo.Interaction, method, suffix string, body any) *request {
	appID := in.AppID
	if appID == "" {
		appID = a.ApplicationID()
	}
	r := &request{method: method, route: "/webhooks/{application_id}/{interaction_token}" + suffix, major: in.ID,
		path: "/webhooks/" + appID + "/" + in.Token + suffix, exemptGlobal: true, hidden: secret.New(in.Token)}
	if body != nil {
		r.body = body
	}
	return r
}

// autocomplete answers with the Completer's suggestions (none without one).
func (a *Adapter) autocomplete(ctx context.Context, j job) {
	choices := []choiceJSON{}
	inv, err := readInvocation(j.in)
	if err == nil && a.opts.Completer != nil && inv.focused != "" {
		cctx, cancel := context.WithTimeout(ctx, autocompleteBudget-max(0, a.now().Sub(j.received)))
		suggestions := a.opts.Completer.Complete(cctx, a.request(j.in, invocation{command: inv.command, args: inv.partial}),
			inv.focused, inv.partial)
		cancel()
		for _, c := range suggestions {
			name := plainText(c.Name, maxChoiceName)
			value := c.Value
			if name == "" || value == "" || utf8.RuneCountInString(value) > maxChoiceValue {
				continue
			}
			choices = append(choices, choiceJSON{Name: name, Value: value})
			if len(choices) == maxChoices {
				break
			}
		}
	}
	a.respond(ctx, j, &interactionResponse{Type: respAutocomplete, Data: &responseData{Choices: &choices}})
}
