package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/opml"
)

// maxImport bounds the feeds one /importopml adds.
const maxImport = 200

func (c *Commands) importOPML(ctx context.Context, req Request, args string) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	var data []byte
	switch {
	case req.Attachment != nil:
		data = req.Attachment.Data
	case args != "" && c.opts.Download != nil:
		u, err := sources.ValidateURL(strings.Fields(args)[0])
		if err != nil {
			return "Can't import: " + sources.UserMessage(err), nil
		}
		if data, err = c.opts.Download(ctx, u); err != nil {
			return "Can't download that OPML file: " + sentence(sources.UserMessage(err)), nil
		}
	default:
		return "Attach an OPML file to /importopml, or give its address: /importopml https://example.com/feeds.opml", nil
	}
	feeds, err := opml.Parse(data)
	if err != nil {
		return "Can't import: " + sentence(err.Error()), nil
	}
	skipped := 0
	if len(feeds) > maxImport {
		skipped = len(feeds) - maxImport
		feeds = feeds[:maxImport]
	}
	var (
		mu              sync.Mutex
		added, existing int
		failed          []string
		wg              sync.WaitGroup
		slots           = make(chan struct{}, 4)
	)
	for _, f := range feeds {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			a, err := c.opts.Sources.Add(ctx, sources.AddRequest{URL: f.URL, Interval: c.opts.DefaultInterval, Name: f.Title,
				AddedBy: req.User.Key(), AddedIn: req.Chat.String()})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				added++
				c.keepForTest(ctx, a)
			case errors.Is(err, sources.ErrExists):
				existing++
			default:
				failed = append(failed, fmt.Sprintf("%s (%s)", sources.ShowURL(f.URL), sources.UserMessage(err)))
			}
		}()
	}
	wg.Wait()
	msg := fmt.Sprintf("Imported %d of %s", added, plural(len(feeds), "1 feed", "%d feeds"))
	if existing > 0 {
		msg += "; " + plural(existing, "1 was already a source", "%d were already sources")
	}
	if skipped > 0 {
		msg += fmt.Sprintf("; %d left out (at most %d per import)", skipped, maxImport)
	}
	msg += "."
	if len(failed) > 0 {
		shown := failed
		if len(shown) > 5 {
			shown = shown[:5]
		}
		msg += fmt.Sprintf("\n%d failed: %s", len(failed), strings.Join(shown, "; "))
		if len(failed) > len(shown) {
			msg += fmt.Sprintf("; and %d more", len(failed)-len(shown))
		}
	}
	return msg, nil
}

func (c *Commands) exportOPML(ctx context.Context, req Request) (Reply, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		var d *errDenied
		errors.As(err, &d)
		return Reply{Text: d.reason, Private: true}, nil
	}
	srcs, err := c.opts.Registry.List(ctx)
	if err != nil {
		return Reply{}, err
	}
	if len(srcs) == 0 {
		return Reply{Text: "There are no sources to export.", Private: true}, nil
	}
	feeds := make([]opml.Feed, len(srcs))
	for i, s := range srcs {
		feeds[i] = opml.Feed{Title: s.Name, URL: sources.ShowURL(s.URL)}
	}
	data, err := opml.Render("newsalert sources", feeds, c.opts.Now())
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: plural(len(srcs), "The one source", "All %d sources") + " as OPML: newsalert-sources.opml", Private: true,
		File: &Attachment{Name: "newsalert-sources.opml", Data: data}}, nil
}
