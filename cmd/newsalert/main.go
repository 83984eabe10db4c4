// Command newsalert is a news-alert chat bot: it watches news feeds, matches
// new stories against keyword subscriptions and sends short summaries to
// Telegram, Discord or the console.
//
//	newsalert run       the bot (the default)
//	newsalert check     read one feed and show what alerts would look like
//	newsalert version   print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/redis/go-redis/v9"
)

// version is stamped at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Version returns the build's version: the stamped one, else the module
// version, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

const usage = `Usage: newsalert [command] [flags]

Commands:
  run          run the bot (default when no command is given)
  check        read one feed (URL or file) and print its stories, marking those a query matches
               newsalert check [--json] FEED_URL_OR_FILE [QUERY]
  version      print the version
  healthcheck  exit 0 when the running bot's /healthz answers (for container health checks)
  migrate      copy the embedded store into a Redis server
               newsalert migrate --from-data-dir DIR --to-redis URL

Run "newsalert COMMAND --help" for a command's flags.
`

func main() {
	setUpProcess()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// setUpProcess makes the process-wide settings of libraries, once, before
// anything else runs.
//
// go-redis's connection pool logs dial failures through one package-wide
// logger (v9.23 has no per-client logger for its pool). Every error it logs
// also reaches our code, which reports it in one line naming the setting to
// fix; so the pool's own lines are dropped rather than printed before that
// line (or, at run time, duplicated in a format of their own).
func setUpProcess() {
	redis.SetLogger(silentRedisLog{})
}

// silentRedisLog drops go-redis's internal log lines.
type silentRedisLog struct{}

func (silentRedisLog) Printf(context.Context, string, ...any) {}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		cmd, args = "help", nil
	} else if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		err = runBot(ctx, args, stdin, stdout, stderr)
	case "check":
		err = runCheck(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "newsalert", Version())
	case "healthcheck":
		err = runHealthcheck(ctx, args, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "newsalert: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "newsalert:", err)
		return 1
	}
	return 0
}
