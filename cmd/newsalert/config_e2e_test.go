package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runBotChild runs this test binary as `newsalert run` (see TestMain) with
// args and only the given environment, and returns its exit code, standard
// output and standard error.
func runBotChild(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^$"}, args...)...)
	cmd.Env = []string{childEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// TestConfigErrorsAreOneLineNamingTheSetting: an unreachable Redis and other
// bad settings end the start with exit 1 and one line on standard error
// naming the variable or flag, with nothing printed before it.
func TestConfigErrorsAreOneLineNamingTheSetting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "redis-url")
	os.WriteFile(empty, nil, 0o600)
	tests := []struct {
		name string
		env  map[string]string
		want string // the line starts with "newsalert: " + want
	}{
		{"unreachable redis", map[string]string{"NEWSALERT_REDIS_URL": "redis://127.0.0.1:1/0"}, "NEWSALERT_REDIS_URL: "},
		{"empty redis url file", map[string]string{"NEWSALERT_REDIS_URL_FILE": empty}, "NEWSALERT_REDIS_URL_FILE: "},
		{"http webhook", map[string]string{"TELEGRAM_BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0",
			"TELEGRAM_WEBHOOK_URL": "http://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "s"}, "TELEGRAM_WEBHOOK_URL: "},
		{"discord key without token", map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, "DISCORD_BOT_TOKEN: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["NEWSALERT_DATA_DIR"] = t.TempDir()
			tt.env["NEWSALERT_HTTP_ADDR"] = "off"
			code, out, errOut := runBotChild(t, tt.env)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if out != "" {
				t.Errorf("standard output: %q", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "newsalert: "+tt.want) {
				t.Errorf("standard error is not one line starting with %q:\n%s", "newsalert: "+tt.want, errOut)
			}
		})
	}
}

func TestRunFlagsAsUsersTypeThem(t *testing.T) {
	var stderr strings.Builder
	code := run(context.Background(), []string{"run", "--allow-private-networks", "--poll-interval", "soon"}, strings.NewReader(""), io.Discard, &stderr)
	if code != 1 || strings.Contains(stderr.String(), "flag needs an argument") ||
		!strings.HasPrefix(stderr.String(), `newsalert: --poll-interval: "soon" is not a duration`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"run", "--help"}, nil, io.Discard, &stderr); code != 0 ||
		!strings.Contains(stderr.String(), "  --poll-interval duration\n") || !strings.Contains(stderr.String(), "default 5m") {
		t.Errorf("run --help: exit %d\n%s", code, stderr.String())
	}
	stderr.Reset()
	run(context.Background(), []string{"check", "--help"}, nil, io.Discard, &stderr)
	for _, f := range strings.Fields(stderr.String()) {
		if strings.HasPrefix(f, "testdata/") {
			if _, err := os.Stat(filepath.Join("..", "..", f)); err != nil {
				t.Errorf("check --help names %s, which does not exist", f)
			}
		}
	}
	var out strings.Builder
	code = run(context.Background(), []string{"migrate", "--help"}, nil, &out, &stderr)
	if code != 0 || !strings.Contains(stderr.String(), "--force") {
		t.Errorf("migrate --help: %d %q", code, stderr.String())
	}
}
