package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsalert/newsalert/bot"
)

const (
	// maxAttachment caps a file given to a command (an OPML file).
	maxAttachment = 1 << 20
	// maxUpload caps a file sent with a reply; Discord takes 10 MiB from bots.
	maxUpload = 8 << 20
)

// errAttachment is what the user hears when a file cannot be read.
var errAttachment = errors.New("attachment refused")

// download fetches a file given to a command from Discord's CDN (or, for a
// fake or proxy, from the configured API origin), capped at maxAttachment.
func (a *Adapter) download(ctx context.Context, att *discordgo.MessageAttachment) (*bot.Attachment, error) {
	if att.Size > maxAttachment {
		return nil, fmt.Errorf("%w: the file is larger than %d KiB", errAttachment, maxAttachment>>10)
	}
	u, err := url.Parse(att.URL)
	if err != nil || !a.attachmentHost(u) {
		return nil, fmt.Errorf("%w: the file is not on Discord's CDN", errAttachment)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download attachment: %w", stripURL(err))
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := a.rest.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download attachment: %w", stripURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download attachment: status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAttachment+1))
	if err != nil {
		return nil, fmt.Errorf("download attachment: %w", stripURL(err))
	}
	if len(data) > maxAttachment {
		return nil, fmt.Errorf("%w: the file is larger than %d KiB", errAttachment, maxAttachment>>10)
	}
	return &bot.Attachment{Name: att.Filename, Data: data}, nil
}

// attachmentHost accepts Discord's CDN hosts over https, and the configured
// API origin (a fake or a proxy) as it is configured.
func (a *Adapter) attachmentHost(u *url.URL) bool {
	if o := a.origin; o != nil && u.Scheme == o.Scheme && u.Host == o.Host {
		return true
	}
	switch strings.ToLower(u.Hostname()) {
	case "cdn.discordapp.com", "media.discordapp.net":
		return u.Scheme == "https"
	}
	return false
}

// sendFile posts a reply's file as a followup with nothing else in it.
func (a *Adapter) sendFile(ctx context.Context, j job, f *bot.Attachment, flags int) {
	if len(f.Data) > maxUpload {
		a.followups(ctx, j, replyContent(fmt.Sprintf("The file %s is too large to send here (%d KiB).",
			fileName(f.Name), len(f.Data)>>10)), flags)
		return
	}
	file := &bot.Attachment{Name: fileName(f.Name), Data: f.Data}
	r := a.webhookRequest(j.in, http.MethodPost, "", &messagePayload{Flags: flags, AllowedMentions: noMentions(),
		Attachments: []attachmentRef{{ID: "0", Filename: file.Name}}})
	r.file = file
	if err := a.rest.do(ctx, r, nil); err != nil {
		a.log.Warn("discord file reply failed", "interaction_id", j.in.ID, "file", file.Name, "err", err)
	}
}

// fileName keeps a safe file name: letters, digits, dot, dash, underscore.
func fileName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	n := strings.Trim(b.String(), ".")
	if n == "" {
		return "newsalert.txt"
	}
	return n
}
