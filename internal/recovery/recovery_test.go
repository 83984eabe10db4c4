package recovery

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

type counter map[string]int

func (c counter) Panicked(loop string) { c[loop]++ }

func TestGuard(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	c := counter{}
	if err := Guard(log, c, "poll", func() {}, "source_id", 1); err != nil {
		t.Fatalf("no panic: err = %v", err)
	}
	err := Guard(log, c, "poll", func() { panic("bad feed") }, "source_id", 7)
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "bad feed" || pe.Loop != "poll" {
		t.Fatalf("err = %#v", err)
	}
	if c["poll"] != 1 {
		t.Errorf("counted %v, want poll:1", c)
	}
	out := logs.String()
	for _, want := range []string{"source_id=7", "loop=poll", `panic="bad feed"`, "recovery_test.go"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if pe.UserMessage() != "internal error (see the logs)" {
		t.Errorf("user message %q", pe.UserMessage())
	}
	// A nil counter and logger are allowed.
	if err := Guard(nil, nil, "x", func() { panic(1) }); err == nil {
		t.Error("panic not reported")
	}
}
