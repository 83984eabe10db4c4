package telegram

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
)

const (
	// maxMessageUnits is Telegram's limit on a message's text after entity
	// parsing, in UTF-16 code units.
	maxMessageUnits = 4096
	maxBatch        = 5
	summaryRunes    = 600

	// Caps on the parts of one alert, in UTF-16 units, so that one alert
	// always fits a message whatever the feed sends.
	titleCap   = 300
	sourceCap  = 80
	alsoCap    = 300
	linkCap    = 600  // a longer link is not shown as text (the title still links)
	hrefCap    = 2048 // a longer link is dropped altogether
	alertSep   = "\n\n"
	ellipsis   = "…"
	minSummary = 40 // below this, a summary is left out rather than mangled
)

// utf16Len is the length of s in UTF-16 code units, as Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// escapeHTML escapes the four characters Telegram's HTML mode gives meaning.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `<>&"`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanText makes feed text safe to show: valid UTF-8, no control or
// formatting characters other than line breaks (when keepLines), runs of
// spaces collapsed, trimmed.
func cleanText(s string, keepLines bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space, newline := false, false
	for _, r := range s {
		switch {
		case r == '\n' && keepLines:
			newline = true
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r), r == '\uFEFF', r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			// dropped: controls, byte-order marks and bidi overrides that
			// would reorder the lines around the text
		default:
			if b.Len() > 0 {
				if newline {
					b.WriteByte('\n')
				} else if space {
					b.WriteByte(' ')
				}
			}
			space, newline = false, false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimText shortens s to at most max UTF-16 units, cutting on a word
// boundary when there is one in the second half and ending with "…". It
// never splits a surrogate pair, a combining sequence or an emoji sequence.
func trimText(s string, max int) string {
	if utf16Len(s) <= max {
		return s
	}
	if max < 1 {
		return ""
	}
	budget := max - 1 // room for the ellipsis
	cut, units := 0, 0
	for i, r := range s {
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > budget {
			break
		}
		units += n
		cut = i + utf8.RuneLen(r)
	}
	for cut > 0 {
		r, _ := utf8.DecodeRuneInString(s[cut:])
		prev, _ := utf8.DecodeLastRuneInString(s[:cut])
		if !joins(r) && prev != '\u200d' {
			break
		}
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	head := s[:cut]
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)/2 {
		head = head[:i]
	}
	head = strings.TrimRightFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	return head + ellipsis
}

// joins reports whether r attaches to the rune before it (so the two must not
// be separated).
func joins(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r) ||
		r == '\u200d' || (r >= '\uFE00' && r <= '\uFE0F') || (r >= 0x1F3FB && r <= 0x1F3FF) ||
		(r >= 0xE0020 && r <= 0xE007F)
}

// safeLink returns link when it is an absolute http(s) URL Telegram can
// link, else "".
func safeLink(link string) string {
	link = strings.TrimSpace(link)
	if link == "" || len(link) > hrefCap || strings.ContainsFunc(link, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !utf8.ValidString(link) {
		return ""
	}
	return link
}

// formatWhen renders a publication time in loc (the chat's /timezone; nil
// is UTC) as "14:05 UTC, 9 May", with the year when it is not this year's.
func formatWhen(t, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if t.Year() != now.In(loc).Year() {
		return t.Format("15:04 MST, 2 Jan 2006")
	}
	return t.Format("15:04 MST, 2 Jan")
}

// piece is a run of rendered HTML with the length of its text.
type piece struct {
	html  string
	units int
}

// renderedAlert is one alert, rendered within a budget.
type renderedAlert struct {
	html, plain string
	units       int    // UTF-16 length of the text after entity parsing
	link        string // the alert's safe link, "" when none
}

// alertParts are the cleaned, capped parts of an alert.
type alertParts struct {
	title, link, linkText, meta, summary, also string
	terms                                      []string
}

func (a *Adapter) parts(al bot.Alert, budget int) alertParts {
	p := alertParts{terms: al.Terms}
	p.link = safeLink(al.Link)
	if p.link != "" && utf16Len(p.link) <= min(linkCap, budget/3) {
		p.linkText = p.link
	}
	p.title = trimText(cleanText(al.Title, false), min(titleCap, max(budget/4, 20)))
	if p.title == "" {
		p.title = "Untitled story"
	}
	source := trimText(cleanText(al.Source, false), min(sourceCap, max(budget/8, 10)))
	when := ""
	if !al.Published.IsZero() {
		when = formatWhen(al.Published, a.now(), al.Location)
	}
	switch {
	case source != "" && when != "":
		p.meta = source + " · " + when
	default:
		p.meta = source + when
	}
	if len(al.AlsoReportedBy) > 0 {
		names := make([]string, 0, len(al.AlsoReportedBy))
		for _, n := range al.AlsoReportedBy {
			if n = cleanText(n, false); n != "" {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			p.also = trimText("Also reported by: "+strings.Join(names, ", "), min(alsoCap, max(budget/5, 20)))
		}
	}
	p.summary = cleanText(al.Summary, true)
	return p
}

// renderAlert renders al as HTML whose text is at most budget UTF-16 units
// (budget is at least a few hundred units in practice); plain is the same
// content without markup, for the plain-text fallback.
//
//	<b><a href="LINK">TITLE</a></b>
//	SOURCE · 14:05 UTC, 9 May
//	SUMMARY with <b>terms</b>
//	Also reported by: A, B
//	LINK
func (a *Adapter) renderAlert(al bot.Alert, budget int) renderedAlert {
	p := a.parts(al, budget)
	var lines []piece
	titleHTML := "<b>" + escapeHTML(p.title) + "</b>"
	if p.link != "" {
		titleHTML = `<b><a href="` + escapeHTML(p.link) + `">` + escapeHTML(p.title) + "</a></b>"
	}
	lines = append(lines, piece{html: titleHTML, units: utf16Len(p.title)})
	if p.meta != "" {
		lines = append(lines, piece{html: escapeHTML(p.meta), units: utf16Len(p.meta)})
	}
	tail := []piece{}
	if p.also != "" {
		tail = append(tail, piece{html: escapeHTML(p.also), units: utf16Len(p.also)})
	}
	if p.linkText != "" {
		tail = append(tail, piece{html: escapeHTML(p.linkText), units: utf16Len(p.linkText)})
	}
	fixed := 0
	for _, l := range append(append([]piece{}, lines...), tail...) {
		fixed += l.units + 1 // and its line break
	}
	summary := ""
	if room := budget - fixed; room >= minSummary || (room > 0 && utf16Len(p.summary) <= room) {
		summary = trimText(p.summary, room)
	}
	if summary != "" {
		lines = append(lines, piece{html: highlightHTML(summary, p.terms), units: utf16Len(summary)})
	}
	lines = append(lines, tail...)
	out := renderedAlert{link: p.link}
	var h strings.Builder
	for i, l := range lines {
		if i > 0 {
			h.WriteByte('\n')
			out.units++
		}
		h.WriteString(l.html)
		out.units += l.units
	}
	out.html = h.String()
	plain := []string{p.title, p.meta, summary, p.also, p.linkText}
	out.plain = joinNonEmpty(plain, "\n")
	return out
}

func joinNonEmpty(xs []string, sep string) string {
	var kept []string
	for _, x := range xs {
		if x != "" {
			kept = append(kept, x)
		}
	}
	return strings.Join(kept, sep)
}

// highlightHTML escapes text and puts the matched terms in bold.
func highlightHTML(text string, terms []string) string {
	var b strings.Builder
	for _, sp := range bot.Highlight(text, terms) {
		if sp.Hit {
			b.WriteString("<b>" + escapeHTML(sp.Text) + "</b>")
		} else {
			b.WriteString(escapeHTML(sp.Text))
		}
	}
	return b.String()
}

// outMessage is one message of a rendered batch.
type outMessage struct {
	html, plain string
	units       int
	preview     string // URL for the link preview, "" for none
	alerts      []int  // indexes of the batch's alerts it carries
}

// renderBatch renders alerts into as few messages as fit Telegram's limit,
// in order; each message previews its first alert's link.
func (a *Adapter) renderBatch(batch []bot.Alert) ([]outMessage, error) {
	var (
		msgs []outMessage
		cur  *outMessage
	)
	for i, al := range batch {
		r := a.renderAlert(al, maxMessageUnits)
		if cur != nil && cur.units+utf16Len(alertSep)+r.units <= maxMessageUnits {
			cur.html += alertSep + r.html
			cur.plain += alertSep + r.plain
			cur.units += utf16Len(alertSep) + r.units
			cur.alerts = append(cur.alerts, i)
			if cur.preview == "" {
				cur.preview = r.link
			}
			continue
		}
		msgs = append(msgs, outMessage{html: r.html, plain: r.plain, units: r.units, preview: r.link, alerts: []int{i}})
		cur = &msgs[len(msgs)-1]
	}
	for _, m := range msgs {
		if err := verify(m); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

// renderOne renders alerts into exactly one message (for an edit), sharing
// the limit between them when they do not fit whole.
func (a *Adapter) renderOne(batch []bot.Alert) (outMessage, error) {
	msgs, err := a.renderBatch(batch)
	if err != nil {
		return outMessage{}, err
	}
	if len(msgs) == 1 {
		return msgs[0], nil
	}
	share := (maxMessageUnits - (len(batch)-1)*utf16Len(alertSep)) / len(batch)
	m := outMessage{}
	for i, al := range batch {
		r := a.renderAlert(al, share)
		if i > 0 {
			m.html += alertSep
			m.plain += alertSep
			m.units += utf16Len(alertSep)
		}
		m.html += r.html
		m.plain += r.plain
		m.units += r.units
		m.alerts = append(m.alerts, i)
		if m.preview == "" {
			m.preview = r.link
		}
	}
	return m, verify(m)
}

// verify checks a rendered message against Telegram's length limit.
func verify(m outMessage) error {
	if m.units > maxMessageUnits || utf16Len(m.plain) > maxMessageUnits {
		return fmt.Errorf("telegram render: message of %d UTF-16 units exceeds %d", m.units, maxMessageUnits)
	}
	if m.units == 0 {
		return fmt.Errorf("telegram render: empty message")
	}
	return nil
}

// splitText cuts plain text into messages within Telegram's limit, at line
// breaks where possible, after dropping control characters other than line
// breaks and tabs.
func splitText(text string) []string {
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(text, "\uFFFD"))
	var out []string
	for utf16Len(text) > maxMessageUnits {
		cut, units := 0, 0
		for i, r := range text {
			n := 1
			if r >= 0x10000 {
				n = 2
			}
			if units+n > maxMessageUnits {
				break
			}
			units += n
			cut = i + utf8.RuneLen(r)
		}
		if nl := strings.LastIndexByte(text[:cut], '\n'); nl > cut/2 {
			cut = nl + 1
		} else if sp := strings.LastIndexFunc(text[:cut], unicode.IsSpace); sp > cut/2 {
			cut = sp + 1
		}
		out = append(out, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = text[cut:]
	}
	if strings.TrimSpace(text) != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}
