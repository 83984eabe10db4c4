// Package console is the chat adapter with no chat platform: it reads
// commands from standard input as one admin user and prints replies and
// alerts to standard output. `newsalert run` uses it when no Telegram or
// Discord token is set.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/newsalert/newsalert/bot"
)

// Platform is the console's platform name.
const Platform = "console"

// Chat returns the console's one chat.
func Chat() bot.Chat { return bot.Chat{Platform: Platform, ID: "local"} }

// Options configure the console adapter.
type Options struct {
	In     io.Reader // commands, one per line
	Out    io.Writer // replies and alerts
	UserID string    // the user commands come from; default "admin" (console:admin)
	// Location renders times of alerts that carry no chat time zone;
	// default the local time zone.
	Location *time.Location
	// Now tells the current year (times from other years show theirs);
	// default time.Now.
	Now func() time.Time
}

// Adapter implements bot.Adapter on a reader and a writer.
type Adapter struct {
	opts Options
	mu   sync.Mutex // serialises writes to Out
	seq  atomic.Int64
}

// New returns the console adapter.
func New(opts Options) *Adapter {
	if opts.UserID == "" {
		opts.UserID = "admin"
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Adapter{opts: opts}
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return Platform }

// Limits implements bot.Adapter.
func (a *Adapter) Limits() bot.Limits { return bot.Limits{MaxBatch: 10, SummaryRunes: 600} }

// Connect implements bot.Adapter; the console needs no connection.
func (a *Adapter) Connect(ctx context.Context) error {
	a.println("newsalert console: type /help for the commands, /addsource URL to watch a feed, /subscribe WORDS to get alerts.")
	return nil
}

// deadliner is a reader whose blocked Read can be interrupted.
type deadliner interface{ SetReadDeadline(time.Time) error }

// Serve reads commands line by line until ctx is done or the input ends,
// and answers each through h, in order; a slow command prints an
// acknowledgement at once and its answer when ready. When In supports read deadlines (a pollable
// os.File) a blocked read is interrupted at cancellation; otherwise Serve
// returns at cancellation and the reading goroutine ends with the input.
func (a *Adapter) Serve(ctx context.Context, h bot.Handler) error {
	lines := make(chan string)
	done := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(a.opts.In)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				done <- nil
				return
			}
		}
		done <- sc.Err()
	}()
	// Commands run on a dispatcher so that reading goes on while one runs;
	// the console is one chat, so they still run one at a time, in order.
	disp := bot.NewDispatcher(bot.DispatcherOptions{Workers: 1})
	dctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { disp.Run(dctx) })
	defer func() {
		stop()
		wg.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			if d, ok := a.opts.In.(deadliner); ok && d.SetReadDeadline(time.Unix(1, 0)) == nil {
				<-done
			}
			return nil
		case err := <-done:
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() == nil {
				return fmt.Errorf("read console input: %w", err)
			}
			// End of input: keep delivering alerts until shutdown.
			<-ctx.Done()
			return nil
		case line := <-lines:
			// Waits while many commands are queued (back-pressure on input).
			_ = disp.Submit(ctx, Chat().ID, func(ctx context.Context) { a.handle(ctx, h, line) })
		}
	}
}

func (a *Adapter) handle(ctx context.Context, h bot.Handler, line string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	if !strings.HasPrefix(line, "/") {
		a.println("Commands start with / (try /help).")
		return
	}
	name, args, _ := strings.Cut(line[1:], " ")
	req := bot.Request{
		Chat:     Chat(),
		ChatKind: bot.Private,
		User:     bot.User{Platform: Platform, ID: a.opts.UserID, Name: a.opts.UserID},
		Command:  strings.ToLower(name),
		Args:     strings.TrimSpace(args),
	}
	// A slow command prints its acknowledgement, then its answer when ready.
	reply, _ := bot.HandleWithAck(ctx, h, req, bot.DefaultAckDelay, func(text string) { a.println(clean(text)) })
	a.println(clean(reply.Text))
	if reply.File != nil {
		a.println(fmt.Sprintf("--- %s (%d bytes) ---\n%s--- end of %s ---", clean(reply.File.Name), len(reply.File.Data), clean(string(reply.File.Data)), clean(reply.File.Name)))
	}
}

// Send implements bot.Sender: it prints each alert as a block of text.
func (a *Adapter) Send(ctx context.Context, c bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	if err := ctx.Err(); err != nil {
		return bot.Receipt{}, true, err
	}
	var b strings.Builder
	var r bot.Receipt
	for _, al := range batch {
		id := strconv.FormatInt(a.seq.Add(1), 10)
		r.MessageIDs = append(r.MessageIDs, id)
		b.WriteString(a.render(al))
	}
	a.print(b.String())
	return r, false, nil
}

// Notify implements bot.Sender.
func (a *Adapter) Notify(ctx context.Context, c bot.Chat, text string) (bool, error) {
	a.println("notice: " + clean(text))
	return false, nil
}

// Edit implements bot.Editor by printing the addition.
func (a *Adapter) Edit(ctx context.Context, c bot.Chat, messageID string, batch []bot.Alert) (bool, error) {
	for _, al := range batch {
		if len(al.AlsoReportedBy) > 0 {
			a.println(fmt.Sprintf("(alert %s) %s — also reported by: %s", messageID, clean(al.Title), clean(strings.Join(al.AlsoReportedBy, ", "))))
		}
	}
	return false, nil
}

// Close implements bot.Adapter.
func (a *Adapter) Close(ctx context.Context) error { return nil }

func (a *Adapter) render(al bot.Alert) string {
	var b strings.Builder
	b.WriteString("\n=== ALERT: " + clean(al.Title) + "\n")
	meta := clean(al.Source)
	if !al.Published.IsZero() {
		loc := a.opts.Location
		if al.Location != nil {
			loc = al.Location // the chat's /timezone
		}
		layout := "Mon 2 Jan 15:04 MST"
		if al.Published.In(loc).Year() != a.opts.Now().In(loc).Year() {
			layout = "Mon 2 Jan 2006 15:04 MST"
		}
		meta += " · " + al.Published.In(loc).Format(layout)
	}
	b.WriteString("    " + meta + "\n")
	if s := al.Summary; s != "" {
		var hl strings.Builder
		for _, sp := range bot.Highlight(clean(s), al.Terms) {
			if sp.Hit {
				hl.WriteString("*" + sp.Text + "*")
			} else {
				hl.WriteString(sp.Text)
			}
		}
		b.WriteString("    " + strings.ReplaceAll(hl.String(), "\n", "\n    ") + "\n")
	}
	if al.Link != "" {
		b.WriteString("    " + clean(al.Link) + "\n")
	}
	return b.String()
}

// clean removes control characters (terminal escape sequences from feed
// text) except newlines and tabs.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\u202e' || r == '\u202d' {
			return -1
		}
		return r
	}, s)
}

func (a *Adapter) println(s string) { a.print(s + "\n") }

func (a *Adapter) print(s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	io.WriteString(a.opts.Out, s)
}
