package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/internal/store"
)

func TestMigrateCommand(t *testing.T) {
	rdb, _ := redistest.Client(t)
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	dir := t.TempDir()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.Client.HSet(ctx, "na:{sources}:src:1", "url", "https://example.com/feed", "name", "Example")
	if err := s.Embedded.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var out, errOut strings.Builder
	if code := run(ctx, []string{"migrate", "--from-data-dir", dir, "--to-redis", redistest.URL()}, nil, &out, &errOut); code != 0 {
		t.Fatalf("migrate exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "copied 1 key from") {
		t.Errorf("output %q", out.String())
	}
	if v := rdb.HGet(ctx, "na:{sources}:src:1", "name").Val(); v != "Example" {
		t.Errorf("migrated name = %q", v)
	}
	errOut.Reset()
	if code := run(ctx, []string{"migrate", "--from-data-dir", dir, "--to-redis", redistest.URL()}, nil, io.Discard, &errOut); code == 0 {
		t.Error("a second migrate into a used Redis succeeded without --force")
	}
	if !strings.Contains(errOut.String(), "again with --force") {
		t.Errorf("refusal does not name the flag that forces it: %q", errOut.String())
	}
	if code := run(ctx, []string{"migrate", "--from-data-dir", dir, "--to-redis", "redis://:s3cretpw@127.0.0.1:1/0"}, nil, io.Discard, &errOut); code == 0 || strings.Contains(errOut.String(), "s3cretpw") {
		t.Errorf("bad target: exit %d, output %q", code, errOut.String())
	}
}
