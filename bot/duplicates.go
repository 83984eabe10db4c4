package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsalert/newsalert/sources"
)

// duplicates is /duplicates off|on: whether the same story from several
// sources is folded into one alert ("also reported by") in this chat.
func (c *Commands) duplicates(ctx context.Context, req Request, args string) (string, error) {
	switch strings.ToLower(args) {
	case "":
		settings, err := c.opts.Chats.Get(ctx, req.Chat)
		if err != nil {
			return "", err
		}
		if settings.NoFold {
			return "Duplicates are off here: every matching story is alerted, even the same story from several sources. /duplicates on folds them.", nil
		}
		return "Duplicates are on here: the same story from several sources is one alert, edited with “Also reported by”. /duplicates off alerts every matching story.", nil
	case "on", "off":
	default:
		return "Use /duplicates on (the same story from several sources is one alert) or /duplicates off (every matching story).", nil
	}
	if err := c.mayManageChat(ctx, req); err != nil {
		return "", err
	}
	on := strings.EqualFold(args, "on")
	if err := c.opts.Chats.SetFolding(ctx, req.Chat, on); err != nil {
		return "", err
	}
	if on {
		return "Duplicates on: the same story from several sources is one alert here, edited with “Also reported by”.", nil
	}
	return "Duplicates off: every matching story is alerted here, even the same story from several sources.", nil
}

// foldLines renders /test's matching stories (newest first), saying of each
// which earlier match it would be folded into, unless the chat turned
// folding off.
func (c *Commands) foldLines(ctx context.Context, req Request, matched []sources.Story) ([]string, error) {
	settings, err := c.opts.Chats.Get(ctx, req.Chat)
	if err != nil {
		return nil, err
	}
	lines := make([]string, len(matched))
	for i, st := range matched {
		lines[i] = fmt.Sprintf("• %s (%s)", st.Title, st.SourceName)
		if settings.NoFold {
			continue
		}
		if into, dup, ok := sources.FoldInto(st, matched[i+1:], c.opts.FoldThreshold); ok {
			lines[i] += fmt.Sprintf(" — folds into %q (%s), similarity %.2f", truncate(into.Title, 100), into.SourceName, dup.Similarity)
		}
	}
	return lines, nil
}
