package slack

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
)

// publishHome shows user's help (the commands they may use) on the app's
// Home tab.
func (a *Adapter) publishHome(ctx context.Context, user, channel string) {
	chat := bot.Chat{Platform: Platform, ID: channel}
	if !channelID.MatchString(channel) {
		chat.ID = user
	}
	reply := a.handler.Handle(ctx, bot.Request{Chat: chat, ChatKind: bot.Private, Command: "help",
		User: bot.User{Platform: Platform, ID: user}})
	help := slackSyntax(reply.Text)
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: homeBlocks(help)}}
	err := a.call(ctx, "views.publish", "", func(ctx context.Context) error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
	if err != nil {
		a.log.Warn("slack: home tab not published", "user", user, "err", err)
	}
}

// homeBlocks is a header and the help text in sections of at most 3000
// characters, split at line ends.
func homeBlocks(help string) []slack.Block {
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "newsalert: news alerts in Slack", false, false)),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Type `/newsalert subscribe \"north korea\" -sports` in a channel to get alerts there; every answer is only shown to you.", false, false), nil, nil),
	}
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cur.String(), false, false), nil, nil))
			cur.Reset()
		}
	}
	for _, line := range strings.Split(help, "\n") {
		l := escapeFit(line, 2900)
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(l)+1 > sectionChars {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteString("\n")
		}
		cur.WriteString(l)
		if len(blocks) >= 95 {
			break
		}
	}
	flush()
	return blocks
}
