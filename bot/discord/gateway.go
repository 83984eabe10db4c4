package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/newsalert/newsalert/bot"
)

// openGateway connects discordgo's session. Slash commands need no intent
// at all: INTERACTION_CREATE is sent whatever the intents, so the session
// identifies with none (no guild, member or message events to process).
func (a *Adapter) openGateway(ctx context.Context) error {
	// Each session dials through its own tracker, so that a session given
	// up on (a failed Connect) can never reconnect behind a newer one.
	conns := &connTracker{}
	s, err := discordgo.New("Bot " + a.opts.Token.Reveal())
	if err != nil {
		return fmt.Errorf("discord: create gateway session: %w", err)
	}
	// discordgo logs through the standard logger and, at debug level, prints
	// the Authorization header: keep its logging off entirely (below
	// LogError) and never touch its package-level Logger.
	s.LogLevel = discordgo.LogError - 1
	s.Debug = false
	s.Client = a.gwClient
	s.Dialer = &websocket.Dialer{
		NetDialContext:   conns.dialContext,
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 15 * time.Second,
	}
	s.MaxRestRetries = 0
	s.ShouldRetryOnRateLimit = false
	s.ShouldReconnectOnError = true
	s.ShouldReconnectVoiceOnSessionError = false
	s.StateEnabled = false
	s.SyncEvents = true // handlers run in the gateway's reader, which this adapter owns through s
	s.Compress = false
	s.Identify.Compress = false
	s.Identify.Intents = discordgo.IntentsNone
	s.Identify.Properties.Browser = "newsalert"
	s.Identify.Properties.Device = "newsalert"

	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic.Interaction != nil {
			a.enqueue(ic.Interaction)
		}
	})
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.gatewayUp.Store(true)
		a.log.Info("discord gateway ready", "session", "new", "guilds", len(r.Guilds))
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		a.gatewayUp.Store(true)
		a.log.Info("discord gateway resumed")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.gatewayUp.Store(false)
		a.log.Info("discord gateway disconnected")
	})

	a.bound.bind(ctx)
	defer a.bound.bind(a.life)
	done := make(chan error, 1)
	go func() { done <- s.Open() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		// discordgo's Open reads without deadlines: cut its connection so
		// that it returns, then wait for it.
		conns.cutAll(false)
		if openErr := <-done; openErr != nil {
			err = fmt.Errorf("%w: %w", ctx.Err(), openErr)
		} else {
			err = ctx.Err()
		}
	}
	if err != nil {
		_ = closeGateway(context.WithoutCancel(ctx), s, conns)
		return fmt.Errorf("discord: open gateway: %w", a.opts.Token.Error(err))
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		_ = closeGateway(context.WithoutCancel(ctx), s, conns)
		return errors.New("discord: closed while connecting")
	}
	a.session, a.conns = s, conns
	a.mu.Unlock()
	return nil
}

// closeGateway closes s cleanly (close frame 1000), cutting its
// connections if that takes longer than ctx allows or 5 s. s can never
// reconnect afterwards: conns refuses its dials.
func closeGateway(ctx context.Context, s *discordgo.Session, conns *connTracker) error {
	if s == nil || conns == nil {
		return nil
	}
	conns.refuse()
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		conns.cutAll(true)
		err = <-done
	case <-t.C:
		conns.cutAll(true)
		err = <-done
	}
	conns.cutAll(true)
	if err != nil {
		return fmt.Errorf("discord: close gateway: %w", err)
	}
	return nil
}

// enqueue hands an interaction from the gateway to Serve without blocking
// the gateway's reader.
func (a *Adapter) enqueue(in *discordgo.Interaction) {
	if a.opts.Claim != nil {
		ctx, cancel := context.WithTimeout(a.life, 2*time.Second)
		ok := a.opts.Claim(ctx, in.ID)
		cancel()
		if !ok {
			a.log.Debug("discord interaction answered by another process", "interaction_id", in.ID)
			return
		}
	}
	// Wait rather than drop: Serve takes interactions as fast as its
	// dispatcher accepts them.
	select {
	case a.incoming <- in:
	case <-a.life.Done():
	}
}

// serveState is a running Serve, which the HTTP interactions endpoint hands
// its work to.
type serveState struct {
	ctx  context.Context
	jobs chan job
}

// job is one interaction to answer; respond sends its initial response.
type job struct {
	in       *discordgo.Interaction
	received time.Time
	respond  func(ctx context.Context, resp *interactionResponse) error
	// start is set for commands: it guards the initial response between
	// the command and the deferral of a command still waiting its turn.
	start *startGuard
}

// startGuard tells whether a queued command was deferred before it
// started; whichever comes first (start or defer) wins.
type startGuard struct {
	mu       sync.Mutex
	started  bool
	deferred bool
	begun    chan struct{} // closed when the command starts
	sent     chan struct{} // closed once the deferral was answered
}

func newStartGuard() *startGuard {
	return &startGuard{begun: make(chan struct{}), sent: make(chan struct{})}
}

// begin marks the command started and reports whether it was deferred.
func (g *startGuard) begin() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.started {
		g.started = true
		close(g.begun)
	}
	return g.deferred
}

// deferIfWaiting reports whether the command has not started, marking it
// deferred.
func (g *startGuard) deferIfWaiting() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.started {
		return false
	}
	g.deferred = true
	return true
}

// Serve answers interactions through h until ctx is done. Commands run on
// a dispatcher: concurrently across channels, in order within a channel; a
// command still waiting its turn when Discord's 3-second window is closing
// is deferred, and answered by a follow-up when it ran. Autocomplete is
// answered at once. Serve returns nil on cancellation, once every
// interaction it started has finished (each is bounded by ctx).
func (a *Adapter) Serve(ctx context.Context, h bot.Handler) error {
	if h == nil {
		return errors.New("discord: serve: nil handler")
	}
	a.mu.Lock()
	connected, closed := a.connected, a.closed
	a.mu.Unlock()
	if !connected || closed {
		return errors.New("discord: serve: not connected")
	}
	st := &serveState{ctx: ctx, jobs: make(chan job)}
	if !a.serving.CompareAndSwap(nil, st) {
		return errors.New("discord: serve: already serving")
	}
	defer a.serving.Store(nil)
	disp := bot.NewDispatcher(bot.DispatcherOptions{Workers: a.workers, Logger: a.log})
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { disp.Run(ctx) })
	for {
		var j job
		select {
		case <-ctx.Done():
			return nil
		case in := <-a.incoming:
			j = job{in: in, received: a.now(), respond: a.callbackResponder(in)}
		case j = <-st.jobs:
		}
		a.submit(ctx, &wg, disp, h, j)
	}
}

// submit queues j: commands by channel, autocompletes on their own (they
// must answer within 3 s and change nothing).
func (a *Adapter) submit(ctx context.Context, wg *sync.WaitGroup, disp *bot.Dispatcher, h bot.Handler, j job) {
	key := "interaction:" + j.in.ID
	if j.in.Type == discordgo.InteractionApplicationCommand {
		key = "channel:" + j.in.ChannelID
		j.start = newStartGuard()
		wg.Go(func() { a.deferWhileQueued(ctx, j) })
	}
	if err := disp.Submit(ctx, key, func(ctx context.Context) { a.run(ctx, h, j) }); err != nil && j.start != nil {
		j.start.begin() // never runs: release the deferral watcher
	}
}

// deferWhileQueued defers a command that has not started when its
// deferral time comes.
func (a *Adapter) deferWhileQueued(ctx context.Context, j job) {
	t := time.NewTimer(max(0, a.deferAfter-max(0, a.now().Sub(j.received))))
	defer t.Stop()
	select {
	case <-j.start.begun:
	case <-ctx.Done():
	case <-t.C:
		if j.start.deferIfWaiting() {
			a.respond(ctx, j, &interactionResponse{Type: respDeferred, Data: &responseData{Flags: flagEphemeral}})
			close(j.start.sent)
		}
	}
}
