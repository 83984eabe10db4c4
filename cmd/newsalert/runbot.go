package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/console"
	"github.com/newsalert/newsalert/bot/dashboard"
	"github.com/newsalert/newsalert/bot/discord"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/bot/telegram"
	"github.com/newsalert/newsalert/internal/config"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/store"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/sources/summary"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// keyPrefix starts every Redis key newsalert writes.
const keyPrefix = "na:"

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// runBot is `newsalert run`: it builds every part from the configuration
// and runs them until ctx is cancelled (SIGINT, SIGTERM).
func runBot(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, config.OSEnv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	mx := metrics.New()
	// The store is opened before anything is logged, so that a store that
	// cannot be reached or restored ends the start with one line naming
	// the setting to fix.
	st, err := store.Open(ctx, store.Options{URL: cfg.RedisURL, DataDir: cfg.DataDir, Fsync: store.FsyncPolicy(cfg.Fsync), Logger: log})
	if err != nil {
		if !cfg.RedisURL.IsZero() {
			return fmt.Errorf("%s: %w", cfg.Name("NEWSALERT_REDIS_URL"), err)
		}
		return fmt.Errorf("%s: %w", cfg.Name("NEWSALERT_DATA_DIR"), err)
	}
	defer st.Close()
	log.Info("newsalert starting", "version", Version(), "instance", cfg.Instance)
	rdb := st.Client

	fetcher := fetch.New(fetch.Options{
		UserAgent:      "newsalert/" + Version() + " (+https://github.com/newsalert/newsalert)",
		AllowPrivate:   cfg.AllowPrivateNetworks,
		ConnectTimeout: cfg.ConnectTimeout,
		RequestTimeout: cfg.FetchTimeout,
		MaxBodyBytes:   cfg.MaxFeedBytes,
		PerHostLimit:   cfg.PerHostConcurrency,
		GlobalLimit:    cfg.FetchConcurrency,
		Logger:         log,
	})
	registry := sources.NewRegistry(rdb, keyPrefix)
	// A seen set holds a few fetches' worth of keys at most, whatever a
	// feed does with its item identities.
	seen := sources.NewSeen(rdb, keyPrefix, sources.SeenLimits{MaxKeys: max(5000, 4*cfg.MaxItemsPerFetch)})
	// The window of recent stories holds 500: /test reads the last 100,
	// the dashboard previews queries over all 500.
	stories := sources.NewStoryStore(rdb, keyPrefix, cfg.DeliveryRecordTTL, 500).KeepRecentFor(cfg.UnmatchedStoryTTL)
	subs := subscriptions.NewStore(rdb, keyPrefix, cfg.MaxSubscriptionsPerChat)
	chats := subscriptions.NewChats(rdb, keyPrefix)
	matcher := subscriptions.NewMatcher(subs, query.DefaultLimits(), log).CountPanics(mx)
	if err := matcher.Load(ctx); err != nil {
		return err
	}
	box := outbox.New(rdb, keyPrefix)
	records := outbox.NewRecords(rdb, keyPrefix, cfg.DeliveryRecordTTL)
	history := outbox.NewHistory(rdb, keyPrefix)
	routerOpts := outbox.RouterOptions{
		Stories: stories, Matcher: matcher, Outbox: box, Chats: chats, Records: records, Paused: subs,
		Duplicates: sources.NewDuplicates(rdb, keyPrefix, cfg.DuplicateWindow, cfg.DuplicateThreshold, nil),
		DupWindow:  cfg.DuplicateWindow, GoneRetry: cfg.GoneRetry, Logger: log, Metrics: mx,
	}
	if cfg.FetchArticles {
		routerOpts.Articles = sources.NewArticles(fetcher, stories)
	}
	router := outbox.NewRouter(routerOpts)

	var commands *bot.Commands // built below; the Discord adapter completes options through it
	identity, releaseIdentity := leaseIdentity(cfg.Instance)
	defer releaseIdentity()
	adapters, err := buildAdapters(cfg, identity, rdb, stdin, stdout, log, completerFunc(func(ctx context.Context, req bot.Request, option, partial string) []bot.Choice {
		return commands.Complete(ctx, req, option, partial)
	}))
	if err != nil {
		return err
	}
	senders := make(map[string]bot.Sender, len(adapters))
	platforms := make(map[string]outbox.Platform, len(adapters))
	for _, a := range adapters {
		senders[a.Platform()] = a
		platforms[a.Platform()] = a
		mx.InitPlatforms(a.Platform())
	}
	storyCounts := dashboard.NewStoryCounts(rdb, keyPrefix)
	ui, err := buildDashboard(cfg, rdb, dashboardParts{subs: subs, chats: chats, stories: stories, registry: registry,
		counts: storyCounts, box: box, records: records, history: history, metrics: mx, senders: senders},
		handlerFunc(func(ctx context.Context, req bot.Request) bot.Reply { return commands.Handle(ctx, req) }), log)
	if err != nil {
		return err
	}
	sink := dashboard.CountingSink{Next: router, Counts: storyCounts}
	watcher := sources.NewWatcher(registry, seen, fetcher, sink, bot.NewSourceNotifier(senders, log), sources.WatcherOptions{
		MinInterval:      cfg.MinPollInterval,
		MaxItemAge:       cfg.MaxItemAge,
		FailureThreshold: cfg.FailureThreshold,
		MaxItems:         cfg.MaxItemsPerFetch,
		MaxNewItems:      cfg.MaxNewItemsPerPoll,
		Workers:          cfg.FetchConcurrency,
		Lease:            cfg.FetchTimeout + time.Minute,
		Holder:           identity, // a restart re-polls at once what a killed run had claimed
		Stories:          sources.NewStoryBuilder(sources.StoryOptions{TeaserRunes: cfg.TeaserChars}),
		Logger:           log,
		Metrics:          mx,
	})
	commands = bot.NewCommands(bot.CommandsOptions{
		Subscriptions: subs, Chats: chats, Registry: registry, Sources: watcher, Stories: stories,
		Admins: cfg.Admins, QueryLimits: query.DefaultLimits(),
		Download: func(ctx context.Context, url string) ([]byte, error) {
			resp, err := fetcher.Fetch(ctx, fetch.Request{URL: url, Accept: "text/x-opml, application/xml;q=0.9, */*;q=0.5"})
			if err != nil {
				return nil, err
			}
			return resp.Body, nil
		},
		DefaultInterval: cfg.PollInterval, MinInterval: cfg.MinPollInterval, FetchTimeout: cfg.FetchTimeout, Logger: log, Metrics: mx,
		FoldThreshold: cfg.DuplicateThreshold,
		Stats:         deliveryStats{box: box, records: records},
		Memo:          bot.NewRedisMemo(rdb, keyPrefix, 0),
		Dashboard:     ui,
	})
	deliverer := outbox.NewDeliverer(box, outbox.DelivererOptions{
		Consumer:      cfg.Instance,
		Platforms:     platforms,
		Stories:       stories,
		Chats:         chats,
		Records:       records,
		Summarize:     summary.Summarize,
		Logger:        log,
		Metrics:       mx,
		Held:          outbox.NewHeld(rdb, keyPrefix),
		MaxAge:        cfg.MaxAlertAge,
		GoneRetry:     cfg.GoneRetry,
		BacklogLimit:  cfg.BacklogLimit,
		Subscriptions: subs,
		History:       history,
	})
	registerGauges(mx, st, box, matcher)

	for _, a := range adapters {
		if err := a.Connect(ctx); err != nil {
			return fmt.Errorf("connect %s: %w", a.Platform(), err)
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return st.Run(gctx) })
	g.Go(func() error { return matcher.Run(gctx) })
	g.Go(func() error { return watcher.Run(gctx) })
	g.Go(func() error { return deliverer.Run(gctx) })
	for _, a := range adapters {
		g.Go(func() error {
			if err := a.Serve(gctx, commands); err != nil {
				return fmt.Errorf("%s adapter: %w", a.Platform(), err)
			}
			return nil
		})
	}
	if cfg.HTTPAddr != "" {
		srv := newHTTPServer(cfg.HTTPAddr, httpHandler(cfg, st, adapters, mx, ui))
		g.Go(func() error { return serveHTTP(gctx, srv, cfg.HTTPMaxConnections, log) })
	}
	err = g.Wait()
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	for _, a := range adapters {
		if cerr := a.Close(closeCtx); cerr != nil {
			log.Warn("adapter close failed", "platform", a.Platform(), "err", cerr)
		}
	}
	restoreStdin(stdin)
	log.Info("newsalert stopped")
	return err
}

// completerFunc adapts a function to bot.Completer.
type completerFunc func(ctx context.Context, req bot.Request, option, partial string) []bot.Choice

func (f completerFunc) Complete(ctx context.Context, req bot.Request, option, partial string) []bot.Choice {
	return f(ctx, req, option, partial)
}

// buildAdapters returns the chat adapters the configuration enables.
func buildAdapters(cfg config.Config, identity string, rdb redis.UniversalClient, stdin io.Reader, stdout io.Writer, log *slog.Logger, completer bot.Completer) ([]bot.Adapter, error) {
	var out []bot.Adapter
	if !cfg.TelegramToken.IsZero() {
		tg, err := telegram.New(telegram.Options{
			Token: cfg.TelegramToken, APIURL: cfg.TelegramAPIURL, Redis: rdb, KeyPrefix: keyPrefix,
			WebhookURL: cfg.TelegramWebhookURL, WebhookSecret: cfg.TelegramWebhookSecret,
			// The lease needs a name no other live process has, even one
			// misconfigured with the same NEWSALERT_INSTANCE, and that a
			// restart of this instance takes back (see leaseIdentity).
			Logger: log, ProcessID: identity,
		})
		if err != nil {
			return nil, fmt.Errorf("telegram: %w", err)
		}
		out = append(out, tg)
	}
	if !cfg.DiscordToken.IsZero() {
		if cfg.GuildAdminsManageSources && cfg.DiscordGuildID == "" && len(cfg.TrustedGuilds) == 0 {
			log.Warn("NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES is on but no guild is trusted: set DISCORD_GUILD_ID or NEWSALERT_TRUSTED_GUILDS; until then only NEWSALERT_ADMINS manage sources")
		}
		dc, err := discord.New(discord.Options{
			Token: cfg.DiscordToken, APIURL: cfg.DiscordAPIURL, GuildID: cfg.DiscordGuildID,
			PublicKey: cfg.DiscordPublicKey, GuildAdminsManageSources: cfg.GuildAdminsManageSources,
			TrustedGuilds: cfg.TrustedGuilds,
			Completer:     completer, Logger: log,
			Claim: func(ctx context.Context, id string) bool {
				ok, err := rdb.SetNX(ctx, keyPrefix+"{discord}:interaction:"+id, cfg.Instance, 15*time.Minute).Result()
				return ok || err != nil // on a Redis error, better two answers than none
			},
		})
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		out = append(out, dc)
	}
	if !cfg.SlackBotToken.IsZero() {
		sl, err := newSlackAdapter(cfg, rdb, log)
		if err != nil {
			return nil, err
		}
		out = append(out, sl)
	}
	useConsole := cfg.Console == "on" || (cfg.Console == "auto" && cfg.TelegramToken.IsZero() && cfg.DiscordToken.IsZero() && cfg.SlackBotToken.IsZero())
	if useConsole {
		out = append(out, console.New(console.Options{In: interruptible(stdin), Out: stdout}))
		log.Info("console adapter on: type commands on standard input")
	}
	if len(out) == 0 {
		return nil, errors.New("no chat platform configured: set TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN or SLACK_BOT_TOKEN, or NEWSALERT_CONSOLE=on")
	}
	return out, nil
}

// interruptible makes standard input pollable, so that a read blocked on it
// ends at shutdown.
func interruptible(r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok || f != os.Stdin {
		return r
	}
	fd := int(f.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		return r
	}
	return os.NewFile(uintptr(fd), "/dev/stdin")
}

// restoreStdin puts standard input back in blocking mode, as the shell
// that started the bot expects it.
func restoreStdin(r io.Reader) {
	if f, ok := r.(*os.File); ok && f == os.Stdin {
		syscall.SetNonblock(int(f.Fd()), false)
	}
}

// randomSuffix is 8 random hex characters.
func randomSuffix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// deliveryStats answers /stats from the outbox and the delivery records.
type deliveryStats struct {
	box     *outbox.Outbox
	records *outbox.Records
}

func (s deliveryStats) SentLast24h(ctx context.Context) (int64, error) {
	return s.records.SentLast24h(ctx, time.Now())
}

func (s deliveryStats) QueueDepth(ctx context.Context) (int64, error) { return s.box.Len(ctx) }

// registerGauges adds the gauges read at scrape time.
func registerGauges(mx *metrics.Metrics, st *store.Store, box *outbox.Outbox, matcher *subscriptions.Matcher) {
	mx.GaugeFunc("newsalert_outbox_depth", "Alerts waiting in the outbox, queued or pending.", func(ctx context.Context) float64 {
		n, _ := box.Len(ctx)
		return float64(n)
	})
	mx.GaugeFunc("newsalert_outbox_oldest_age_seconds", "Age of the oldest alert still waiting.", func(ctx context.Context) float64 {
		d, _ := box.OldestAge(ctx, time.Now())
		return d.Seconds()
	})
	mx.GaugeFunc("newsalert_matcher_subscriptions", "Subscriptions in this process's index.", func(context.Context) float64 {
		return float64(matcher.Len())
	})
	if st.Embedded != nil {
		mx.GaugeFunc("newsalert_store_snapshot_age_seconds", "Age of the embedded store's last good snapshot.", func(context.Context) float64 {
			t, _ := st.Embedded.LastSnapshot()
			if t.IsZero() {
				return -1
			}
			return time.Since(t).Seconds()
		})
	}
}
