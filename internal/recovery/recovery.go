// Package recovery keeps one bad item from ending the process: a panic
// while handling it is recovered, logged with the item's identity and the
// stack, and counted, and the caller decides whether the item is skipped
// or retried.
package recovery

import (
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Counter counts recovered panics by loop; *metrics.Metrics implements it.
// A nil Counter counts nothing.
type Counter interface {
	Panicked(loop string)
}

// PanicError is what Guard returns for a recovered panic.
type PanicError struct {
	Loop  string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic in %s: %v", e.Loop, e.Value)
}

// UserMessage is the one line a chat user sees for it (a source's last
// error, for instance): the detail is in the logs.
func (e *PanicError) UserMessage() string { return "internal error (see the logs)" }

// Guard runs fn. A panic in fn is recovered, logged at error level with
// loop, the item's identity (attrs, slog key-value pairs) and the stack,
// counted on c under loop, and returned as a *PanicError; otherwise Guard
// returns nil.
func Guard(log *slog.Logger, c Counter, loop string, fn func(), attrs ...any) (err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		pe := &PanicError{Loop: loop, Value: v, Stack: debug.Stack()}
		if log != nil {
			args := append([]any{"loop", loop, "panic", fmt.Sprint(v)}, attrs...)
			args = append(args, "stack", string(pe.Stack))
			log.Error("recovered a panic; the item is skipped or retried later", args...)
		}
		if c != nil {
			c.Panicked(loop)
		}
		err = pe
	}()
	fn()
	return nil
}
