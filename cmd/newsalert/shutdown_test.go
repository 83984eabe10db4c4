package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/store"
)

// childEnv makes this test binary act as `newsalert run` (see TestMain), so
// that tests can send it real signals.
const childEnv = "NEWSALERT_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		setUpProcess()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, []string{"run"}, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestGracefulShutdown sends SIGTERM to a running bot: it exits 0 within
// 10 s and its final snapshot holds what was done just before.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process")
	}
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1",
		"NEWSALERT_DATA_DIR="+dir, "NEWSALERT_REDIS_URL=", "NEWSALERT_HTTP_ADDR=off",
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS=true", "NEWSALERT_POLL_INTERVAL=1s", "NEWSALERT_MIN_POLL_INTERVAL=1s",
		"NEWSALERT_FETCH_ARTICLES=false", "TELEGRAM_BOT_TOKEN=", "DISCORD_BOT_TOKEN=")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(want string) {
		t.Helper()
		timeout := time.After(15 * time.Second)
		for {
			select {
			case l := <-lines:
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				t.Fatalf("no %q; logs:\n%s", want, logs.String())
			}
		}
	}
	expect("type /help")
	fmt.Fprintln(in, "/addsource "+srv.URL+"/feed.xml")
	expect("Added source 1")
	fmt.Fprintln(in, "/subscribe grain")
	expect("Subscribed (#1): grain")

	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { io.Copy(io.Discard, out); done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 10s after SIGTERM\n%s", logs.String())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(logs.String(), "final snapshot written") {
		t.Errorf("no final snapshot logged:\n%s", logs.String())
	}
	// The snapshot holds the subscription made a moment before the stop.
	s, err := store.Open(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys, _ := s.Client.Keys(context.Background(), "na:{subs}:sub:*").Result()
	if len(keys) != 1 {
		t.Errorf("snapshot %s holds %d subscriptions, want 1", filepath.Join(dir, store.SnapshotFile), len(keys))
	}
}
