package slack

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// Slack limits the renderer keeps within (Block Kit reference).
const (
	sectionChars  = 3000
	contextChars  = 3000
	altTextChars  = 2000
	imageURLChars = 3000
	fallbackChars = 3000 // top-level text: notification fallback, far under 40,000
	titleChars    = 250
	sourceChars   = 200
	alsoChars     = 500
	untitled      = "(untitled)"
)

// zwsp breaks mrkdwn formatting and bare @channel without being seen.
const zwsp = "\u200b"

var (
	bareAt     = regexp.MustCompile(`(?i)@(channel|here|everyone)`)
	spaces     = regexp.MustCompile(`[ \t\r\n\f\v]+`)
	blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)
)

// escape makes feed text inert in mrkdwn: &, < and > become entities (so
// <!channel>, <@U123> and <https://evil|trusted> are shown, not parsed),
// mrkdwn markers are broken by a zero-width space, and bare @channel,
// @here and @everyone lose their power. Invalid UTF-8 is replaced.
func escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	s = breakFormatting(s)
	return bareAt.ReplaceAllString(s, "@"+zwsp+"$1")
}

// breakFormatting puts a zero-width space around each mrkdwn marker (* _
// ~ `) that Slack could read as formatting: one not inside a word, as in
// NEWSALERT_ADMINS, which Slack leaves alone (and users copy).
func breakFormatting(s string) string {
	if !strings.ContainsAny(s, "*_~`") {
		return s
	}
	var b strings.Builder
	var prev rune = ' '
	for i, r := range s {
		if !strings.ContainsRune("*_~`", r) {
			b.WriteRune(r)
			prev = r
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		if i+utf8.RuneLen(r) >= len(s) {
			next = ' '
		}
		if wordRune(prev) && wordRune(next) {
			b.WriteRune(r)
		} else {
			b.WriteString(zwsp + string(r) + zwsp)
		}
		prev = r
	}
	return b.String()
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// oneLine folds whitespace to single spaces.
func oneLine(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// cutRunes cuts s to at most n runes, ending with "…" when cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// escapeFit escapes s cut so that the escaped text has at most n runes.
func escapeFit(s string, n int) string {
	out := escape(s)
	for utf8.RuneCountInString(out) > n {
		keep := utf8.RuneCountInString(s) * n / utf8.RuneCountInString(out)
		if keep >= utf8.RuneCountInString(s) {
			keep = utf8.RuneCountInString(s) - 1
		}
		s = cutRunes(s, max(keep, 1))
		out = escape(s)
	}
	return out
}

// webURL returns u when it is an absolute http(s) URL, made safe to place
// inside <url|label>: characters that would end or split the link are
// percent-encoded. Anything else returns "".
func webURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	s := p.String()
	return strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20").Replace(s)
}

// linkURL is webURL with & escaped, for use inside mrkdwn.
func linkURL(u string) string { return strings.ReplaceAll(webURL(u), "&", "&amp;") }

// summaryMrkdwn renders the summary with matched terms in bold, the
// escaped result at most n runes.
func summaryMrkdwn(summary string, terms []string, n int) string {
	var b strings.Builder
	used := 0
	for _, sp := range bot.Highlight(summary, terms) {
		piece := escape(sp.Text)
		if sp.Hit && strings.TrimSpace(sp.Text) != "" {
			piece = "*" + piece + "*"
		}
		l := utf8.RuneCountInString(piece)
		if used+l > n-1 {
			room := n - 1 - used - 2
			if !sp.Hit && room > 0 {
				b.WriteString(escapeFit(sp.Text, room))
			}
			b.WriteString("…")
			return b.String()
		}
		b.WriteString(piece)
		used += l
	}
	return b.String()
}

// cleanSummary drops carriage returns and folds runs of blank lines.
func cleanSummary(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = blankLines.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

// alertBlocks renders one alert: a section with the headline linked to
// the story and the summary (matched terms bold), the image as accessory;
// a context line with source, time and "Also reported by".
func alertBlocks(al bot.Alert) []slack.Block {
	title := oneLine(al.Title)
	if title == "" {
		title = untitled
	}
	head := "*" + escapeFit(title, titleChars) + "*"
	if link := linkURL(al.Link); link != "" && utf8.RuneCountInString(link) < 1500 {
		head = "*<" + link + "|" + escapeFit(title, titleChars) + ">*"
	}
	text := head
	if s := cleanSummary(al.Summary); s != "" {
		room := sectionChars - utf8.RuneCountInString(head) - 1
		text += "\n" + summaryMrkdwn(s, al.Terms, room)
	}
	section := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
	if img := webURL(al.ImageURL); img != "" && utf8.RuneCountInString(img) <= imageURLChars {
		section.Accessory = slack.NewAccessory(slack.NewImageBlockElement(img, cutRunes(title, altTextChars)))
	}
	var ctx []string
	if src := oneLine(al.Source); src != "" {
		ctx = append(ctx, escapeFit(src, sourceChars))
	}
	if !al.Published.IsZero() {
		// Plain text in the chat's time zone (/timezone; UTC by default),
		// not a <!date^…> token: no <!…> at all in an alert, so that
		// nothing in it can be mistaken for a mention.
		loc := al.Location
		if loc == nil {
			loc = time.UTC
		}
		ctx = append(ctx, al.Published.In(loc).Format("2 Jan 2006 15:04 MST"))
	}
	if len(al.AlsoReportedBy) > 0 {
		names := make([]string, 0, len(al.AlsoReportedBy))
		for _, n := range al.AlsoReportedBy {
			if n = oneLine(n); n != "" {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			ctx = append(ctx, "Also reported by "+escapeFit(strings.Join(names, ", "), alsoChars))
		}
	}
	blocks := []slack.Block{section}
	if len(ctx) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, strings.Join(ctx, " · "), false, false)))
	}
	return blocks
}

// messageBlocks renders a batch into one message, alerts separated by
// dividers: at most 3 blocks an alert, 29 for the 10 of a full batch.
func messageBlocks(batch []bot.Alert) []slack.Block {
	var out []slack.Block
	for i, al := range batch {
		if i > 0 {
			out = append(out, slack.NewDividerBlock())
		}
		out = append(out, alertBlocks(al)...)
	}
	return out
}

// fallbackText is the message's top-level text, shown in notifications
// and where blocks cannot be: the headlines, escaped.
func fallbackText(batch []bot.Alert) string {
	titles := make([]string, 0, len(batch))
	for _, al := range batch {
		t := oneLine(al.Title)
		if t == "" {
			t = untitled
		}
		titles = append(titles, cutRunes(t, 200))
	}
	s := strings.Join(titles, " · ")
	if len(batch) > 1 {
		s = strconv.Itoa(len(batch)) + " news alerts: " + s
	}
	return escapeFit(s, fallbackChars)
}
