package bot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
)

// TestFeedCredentialsAreNeverShown: a source added with user:password in
// its URL is fetched with them, and the password appears in no reply,
// listing, export or log line.
func TestFeedCredentialsAreNeverShown(t *testing.T) {
	const password = "S3cretPW"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="feed"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><item><title>Private story</title><link>https://wire.example/1</link><guid>1</guid></item></channel></rss>`)
	}))
	defer srv.Close()
	secretURL := strings.Replace(srv.URL, "http://", "http://user:"+password+"@", 1) + "/feed.xml"

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rdb, prefix := redistest.Client(t)
	reg := sources.NewRegistry(rdb, prefix)
	w := sources.NewWatcher(reg, sources.NewSeen(rdb, prefix, sources.SeenLimits{}),
		fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second, Logger: log}), nil, nil,
		sources.WatcherOptions{MinInterval: time.Minute, Logger: log})
	cmds := NewCommands(CommandsOptions{
		Subscriptions: subscriptions.NewStore(rdb, prefix, 10), Chats: subscriptions.NewChats(rdb, prefix), Registry: reg, Sources: w,
		Stories: sources.NewStoryStore(rdb, prefix, time.Hour, 100), Admins: []string{"telegram:1001"},
		DefaultInterval: 5 * time.Minute, MinInterval: time.Minute, Logger: log,
	})
	do := func(line string) Reply {
		req := admin
		name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
		req.Command, req.Args = name, args
		return cmds.Handle(context.Background(), req)
	}
	var shown []string
	for _, line := range []string{"/addsource " + secretURL, "/sources", "/testsource " + secretURL, "/exportopml", "/addsource " + secretURL + "x"} {
		r := do(line)
		shown = append(shown, r.Text)
		if r.File != nil {
			shown = append(shown, string(r.File.Data))
		}
	}
	if !strings.Contains(shown[0], "Added source 1") {
		t.Fatalf("the source was not added (its credentials must still reach the fetch): %q", shown[0])
	}
	if !strings.Contains(shown[2], "Private story") {
		t.Errorf("/testsource did not read the feed: %q", shown[2])
	}
	// The stored URL keeps the credentials: the polls need them.
	if src, err := reg.Get(context.Background(), 1); err != nil || !strings.Contains(src.URL, password) {
		t.Errorf("stored URL lost its credentials: %v", err)
	}
	if _, err := w.Poll(context.Background(), mustGet(t, reg, 1)); err != nil {
		t.Errorf("poll with credentials: %v", err)
	}
	for i, s := range append(shown, logs.String()) {
		if strings.Contains(s, password) {
			t.Errorf("output %d shows the feed password:\n%s", i, s)
		}
	}
	if !strings.Contains(shown[1], "REDACTED@") {
		t.Errorf("/sources does not show the redacted URL: %q", shown[1])
	}
}

func mustGet(t *testing.T, reg *sources.Registry, id int64) sources.Source {
	t.Helper()
	s, err := reg.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
