package slackfake

import (
	"regexp"
	"strings"
)

// Link is a link Slack renders from mrkdwn: <url> or <url|label>.
type Link struct {
	URL   string
	Label string // empty for a bare <url>
}

// Tokens Slack turns into mentions inside mrkdwn.
var (
	angleToken = regexp.MustCompile(`<([^<>]*)>`)
	// With link_names=1 Slack also links bare @channel, @here, @everyone.
	bareSpecial = regexp.MustCompile(`(^|[^\w])@(channel|here|everyone)\b`)
)

// Pings returns every mention a mrkdwn text makes (<!channel>, <!here>,
// <!everyone>, <!subteam^ID>, <@U123>), as Slack would notify them
// (<!date^…> formats a date and notifies nobody).
// linkNames is the message's link_names flag.
func Pings(mrkdwn string, linkNames bool) []string {
	var out []string
	for _, m := range angleToken.FindAllStringSubmatch(mrkdwn, -1) {
		inner := m[1]
		if strings.HasPrefix(inner, "!date^") {
			continue // a date formatted in the reader's zone: no notification
		}
		if strings.HasPrefix(inner, "!") || strings.HasPrefix(inner, "@") {
			out = append(out, m[0])
		}
	}
	if linkNames {
		for _, m := range bareSpecial.FindAllStringSubmatch(mrkdwn, -1) {
			out = append(out, "@"+m[2])
		}
	}
	return out
}

// Links returns the links a mrkdwn text renders (channel mentions <#C..>
// and user or special mentions excluded).
func Links(mrkdwn string) []Link {
	var out []Link
	for _, m := range angleToken.FindAllStringSubmatch(mrkdwn, -1) {
		inner := m[1]
		if inner == "" || strings.HasPrefix(inner, "!") || strings.HasPrefix(inner, "@") || strings.HasPrefix(inner, "#") {
			continue
		}
		u, label, _ := strings.Cut(inner, "|")
		out = append(out, Link{URL: u, Label: label})
	}
	return out
}

// Unescape turns mrkdwn's three entities back into characters, as Slack
// displays them.
func Unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
