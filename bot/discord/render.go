package discord

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
)

// Discord's message and embed limits.
const (
	maxTitle        = 256
	maxDescription  = 4096
	maxAuthorName   = 256
	maxFooter       = 2048
	maxEmbeds       = 10
	maxEmbedsChars  = 6000
	maxContent      = 2000
	maxURL          = 2048
	maxChoices      = 25
	maxChoiceName   = 100
	maxChoiceValue  = 100
	alertColor      = 0x2b6cb0
	untitled        = "Untitled story"
	alsoReportedFmt = "Also reported by: "
)

// The wire types of messages the adapter sends. allowed_mentions is never
// omitted: every message says that nothing may be pinged.
type (
	embed struct {
		Title       string       `json:"title,omitempty"`
		Description string       `json:"description,omitempty"`
		URL         string       `json:"url,omitempty"`
		Timestamp   string       `json:"timestamp,omitempty"`
		Color       int          `json:"color,omitempty"`
		Author      *embedAuthor `json:"author,omitempty"`
		Footer      *embedFooter `json:"footer,omitempty"`
		Thumbnail   *embedMedia  `json:"thumbnail,omitempty"`
	}
	embedAuthor struct {
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	embedFooter struct {
		Text string `json:"text"`
	}
	embedMedia struct {
		URL string `json:"url"`
	}
	allowedMentions struct {
		Parse []string `json:"parse"`
	}
	messagePayload struct {
		Content         string           `json:"content,omitempty"`
		Embeds          []embed          `json:"embeds,omitempty"`
		AllowedMentions *allowedMentions `json:"allowed_mentions"`
		Flags           int              `json:"flags,omitempty"`
		Nonce           string           `json:"nonce,omitempty"`
		EnforceNonce    bool             `json:"enforce_nonce,omitempty"`
		Attachments     []attachmentRef  `json:"attachments,omitempty"`
	}
	// attachmentRef describes files[ID] of a multipart upload.
	attachmentRef struct {
		ID       string `json:"id"`
		Filename string `json:"filename"`
	}
)

// noMentions is {"parse": []}: no @everyone, role or user mention pings.
func noMentions() *allowedMentions { return &allowedMentions{Parse: []string{}} }

// chars counts what Discord's 6000-character limit counts.
func (e embed) chars() int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

// budgets bound the parts of one rendered alert.
type budgets struct {
	title, author, description int
}

// fullBudgets are Discord's own limits.
func fullBudgets() budgets {
	return budgets{title: maxTitle, author: maxAuthorName, description: maxDescription}
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// renderAlert turns one alert into an embed: the title linked to the story,
// the summary with matched terms in bold, "Also reported by" when set, the
// source as author, the publication time and the story image as thumbnail.
// Every feed string is escaped.
func renderAlert(a bot.Alert, lim budgets) embed {
	title := oneLine(a.Title)
	if title == "" {
		title = untitled
	}
	e := embed{
		Title: escapeMarkdown(title, lim.title),
		URL:   webURL(a.Link),
		Color: alertColor,
	}
	desc := ""
	if summary := cleanSummary(a.Summary); summary != "" {
		desc = escapeFit(bot.Highlight(summary, a.Terms), lim.description)
	}
	if len(a.AlsoReportedBy) > 0 {
		names := make([]string, 0, len(a.AlsoReportedBy))
		for _, n := range a.AlsoReportedBy {
			if n = oneLine(n); n != "" {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			line := alsoReportedFmt + escapeMarkdown(strings.Join(names, ", "), min(512, lim.description/2))
			room := lim.description - utf8.RuneCountInString(line) - 2
			if desc != "" && utf8.RuneCountInString(desc) > room {
				desc = escapeFit(bot.Highlight(cleanSummary(a.Summary), a.Terms), room)
			}
			if desc != "" {
				desc += "\n\n"
			}
			desc += line
		}
	}
	e.Description = desc
	if src := plainText(a.Source, lim.author); src != "" {
		e.Author = &embedAuthor{Name: src}
	}
	if !a.Published.IsZero() {
		e.Timestamp = a.Published.UTC().Format(time.RFC3339)
	}
	if img := webURL(a.ImageURL); img != "" {
		e.Thumbnail = &embedMedia{URL: img}
	}
	return e
}

// cleanSummary drops carriage returns and folds runs of blank lines.
func cleanSummary(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// webURL returns u when Discord will accept it as an embed URL (absolute
// http or https with a host, at most 2048 characters), else "".
func webURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > maxURL {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
		return ""
	}
	if strings.ContainsAny(u, " \t\n<>\"") {
		return ""
	}
	return u
}

// packEmbeds groups embeds into messages of at most 10 embeds and 6000
// characters, keeping their order. Each group lists indices into embeds.
func packEmbeds(embeds []embed) [][]int {
	var groups [][]int
	var cur []int
	total := 0
	for i, e := range embeds {
		n := e.chars()
		if len(cur) > 0 && (len(cur) == maxEmbeds || total+n > maxEmbedsChars) {
			groups = append(groups, cur)
			cur, total = nil, 0
		}
		cur = append(cur, i)
		total += n
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

// renderOneMessage renders batch into embeds that fit one message (for
// edits, which cannot split): budgets shrink until the total fits.
func renderOneMessage(batch []bot.Alert) []embed {
	if len(batch) > maxEmbeds {
		batch = batch[:maxEmbeds]
	}
	lim := fullBudgets()
	for {
		embeds := make([]embed, len(batch))
		total := 0
		for i, a := range batch {
			embeds[i] = renderAlert(a, lim)
			total += embeds[i].chars()
		}
		if total <= maxEmbedsChars || (lim.description <= 64 && lim.title <= 64 && lim.author <= 32) {
			return embeds
		}
		over := total - maxEmbedsChars
		if lim.description > 64 {
			lim.description = max(64, lim.description-over/len(batch)-1)
			if lim.description > maxEmbedsChars/len(batch) {
				lim.description = maxEmbedsChars / len(batch)
			}
			continue
		}
		lim.title = max(64, lim.title/2)
		lim.author = max(32, lim.author/2)
	}
}

// nonceFor derives a message nonce (at most 25 characters) from the chat and
// the stories a message carries, so that a resent message is recognised by
// Discord (enforce_nonce) instead of being posted twice.
func nonceFor(chatID string, keys []string) string {
	h := sha256.New()
	h.Write([]byte(chatID))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

func alertKey(a bot.Alert) string {
	if a.StoryID != "" {
		return a.StoryID
	}
	return a.Link + "\x00" + a.Title
}

// replyContent escapes command-reply or notice text and splits it into
// messages of at most 2000 characters.
func replyContent(text string) []string {
	text = strings.TrimSpace(cleanSummary(text))
	if text == "" {
		text = "Done."
	}
	w := newMDWriter()
	w.write(text, -1)
	return splitMessage(w.b.String(), maxContent)
}
