// Package deploy holds newsalert's deployment files (Dockerfile, Compose,
// Kubernetes, systemd) and the tests that keep them true to the binary: the
// port and health paths it serves, the environment variables it reads
// (config.Options), and the settings that break a deployment without an
// error (Redis persistence, probes, selectors, secrets' file paths).
package deploy

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/internal/config"
)

// repoRoot is the repository root, relative to this package's directory
// (where go test runs).
const repoRoot = ".."

// Health paths the images' checks and the probes use; TestBinaryServes
// checks that the binary serves them.
const (
	livenessPath  = "/healthz"
	readinessPath = "/readyz"
)

// rel names a file relative to the repository root, for messages.
func rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", rel(path), err)
	}
	return string(b)
}

// options maps every environment variable of config.Options to its option.
func options() map[string]config.Option {
	m := make(map[string]config.Option)
	for _, o := range config.Options() {
		m[o.Env] = o
	}
	return m
}

// envNameProblem says why the binary would ignore a variable named name, or
// returns "" when it reads it.
func envNameProblem(name string) string {
	opts := options()
	if _, ok := opts[name]; ok {
		return ""
	}
	if base, ok := strings.CutSuffix(name, "_FILE"); ok {
		if o, ok := opts[base]; ok {
			if o.Secret {
				return ""
			}
			return base + " is not a secret: the binary reads no " + name
		}
	}
	return "the binary reads no such variable (config.Options)"
}

// checkEnvNames fails for each name the binary does not read.
func checkEnvNames(t *testing.T, where string, names []string) {
	t.Helper()
	for _, n := range names {
		if p := envNameProblem(n); p != "" {
			t.Errorf("%s: environment variable %s: %s", where, n, p)
		}
	}
}

// checkEnvValues loads vals as the binary would (config.Load) and fails
// with the binary's own message when it refuses one. *_FILE variables are
// left out (their files exist only where deployed); a webhook secret or a
// token given as a file stands in as present for the cross-checks.
func checkEnvValues(t *testing.T, where string, vals map[string]string) {
	t.Helper()
	env := make(map[string]string, len(vals))
	for k, v := range vals {
		if strings.HasSuffix(k, "_FILE") || envNameProblem(k) != "" {
			continue
		}
		env[k] = v
	}
	for name, standIn := range map[string]string{
		"TELEGRAM_WEBHOOK_SECRET": "stands_in_for_the_file",
		"TELEGRAM_BOT_TOKEN":      "123456789:stands_in_for_the_file_0123456789abcdef",
		"DISCORD_BOT_TOKEN":       "stands_in_for_the_file.0123456789abcdefghijklmnopqrstuvwxyz",
	} {
		if _, ok := vals[name+"_FILE"]; ok && env[name] == "" {
			env[name] = standIn // the platform settings' cross-checks need it present
		}
	}
	lookup := func(name string) (string, bool) { v, ok := env[name]; return v, ok }
	if _, err := config.Load(nil, lookup, io.Discard); err != nil {
		t.Errorf("%s: the binary refuses these settings: %v", where, err)
	}
}

// checkConsoleOff fails unless vals turn the console adapter off: a
// service has no terminal, and "auto" with no token would start a bot that
// reads an empty standard input instead of failing.
func checkConsoleOff(t *testing.T, where string, vals map[string]string) {
	t.Helper()
	if v := vals["NEWSALERT_CONSOLE"]; v != "off" {
		t.Errorf("%s: NEWSALERT_CONSOLE = %q, want \"off\" (a service has no terminal; without a token it must fail, not wait on stdin)", where, v)
	}
}

// httpPort is the port the binary listens on given vals (its
// NEWSALERT_HTTP_ADDR, else the default of config.Options).
func httpPort(t *testing.T, where string, vals map[string]string) string {
	t.Helper()
	addr, ok := vals["NEWSALERT_HTTP_ADDR"]
	if !ok || addr == "" {
		addr = options()["NEWSALERT_HTTP_ADDR"].Default
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		t.Fatalf("%s: NEWSALERT_HTTP_ADDR %q has no port (the health checks need the HTTP server)", where, addr)
	}
	return port
}

// checkHealthcheckCmd checks an exec-form health check command: the binary's
// healthcheck subcommand, at the liveness path on port.
func checkHealthcheckCmd(t *testing.T, where string, args []string, port string) {
	t.Helper()
	if len(args) < 2 || filepath.Base(args[0]) != "newsalert" || args[1] != "healthcheck" {
		t.Errorf("%s: health check runs %q, want [/usr/local/bin/newsalert healthcheck ...] (no shell or curl in the image)", where, args)
		return
	}
	url := "http://127.0.0.1:" + httpPortDefault() + livenessPath // the subcommand's default
	for i := 2; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--url" || a == "-url":
			if i+1 < len(args) {
				url = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--url=") || strings.HasPrefix(a, "-url="):
			_, url, _ = strings.Cut(a, "=")
		}
	}
	rest, ok := strings.CutPrefix(url, "http://")
	hostport, path, _ := strings.Cut(rest, "/")
	host, p, err := net.SplitHostPort(hostport)
	if !ok || err != nil {
		t.Errorf("%s: health check URL %q is not http://HOST:PORT/PATH", where, url)
		return
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Errorf("%s: health check URL %q does not stay on loopback", where, url)
	}
	if p != port {
		t.Errorf("%s: health check URL %q is on port %s, but the binary listens on %s", where, url, p, port)
	}
	if "/"+path != livenessPath {
		t.Errorf("%s: health check URL %q checks /%s, want %s", where, url, path, livenessPath)
	}
}

func httpPortDefault() string {
	_, port, _ := net.SplitHostPort(options()["NEWSALERT_HTTP_ADDR"].Default)
	return port
}
