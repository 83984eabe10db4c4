package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startHTTP serves h the way `newsalert run` does, with at most maxConns
// connections, until the test ends.
func startHTTP(t *testing.T, h http.Handler, maxConns int) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveHTTP(ctx, newHTTPServer(addr, h), maxConns, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() { cancel(); <-done })
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if i > 100 {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// closedWithin reads from c until the server closes it; it reports
// whether that happened within d.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

func TestHTTPServerBoundsSlowAndIdleClients(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "read: "+err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "%d bytes\n", n)
	})
	addr := startHTTP(t, echo, 3)

	t.Run("idle keep-alive connection is closed", func(t *testing.T) {
		t.Parallel()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !closedWithin(c, 25*time.Second) {
			t.Error("an idle keep-alive connection was still open after 25 s")
		}
	})
	t.Run("trickled body is cut off", func(t *testing.T) {
		t.Parallel()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
		stop := time.After(30 * time.Second)
		closed := make(chan struct{})
		go func() {
			defer close(closed)
			closedWithin(c, 30*time.Second)
		}()
		for {
			select {
			case <-closed:
				return // the server let go
			case <-stop:
				t.Fatal("a body trickled at a byte a second was still being read after 30 s")
			case <-time.After(time.Second):
				c.Write([]byte("x"))
			}
		}
	})
	t.Run("body over the limit", func(t *testing.T) {
		t.Parallel()
		resp, err := http.Post("http://"+addr+"/", "text/plain", strings.NewReader(strings.Repeat("x", 2<<20)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB body: status %d, want 413", resp.StatusCode)
		}
	})
}

func TestHTTPServerCapsConnections(t *testing.T) {
	addr := startHTTP(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") }), 2)
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	// Both slots are taken: a third connection is not served...
	third, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	fmt.Fprintf(third, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	r := bufio.NewReader(third)
	third.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("a third connection was served while two were held with a cap of 2")
	}
	// ...until one of the held ones goes.
	held[0].Close()
	third.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("third connection after a slot freed: %v", err)
	}
	resp.Body.Close()
}

func TestSecretFlagStopsTheStart(t *testing.T) {
	var stderr strings.Builder
	code := run(context.Background(), []string{"run", "--telegram-token", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"}, strings.NewReader(""), io.Discard, &stderr)
	if code == 0 {
		t.Fatal("started with a token given as a flag")
	}
	msg := stderr.String()
	if !strings.Contains(msg, "--telegram-token") || !strings.Contains(msg, "TELEGRAM_BOT_TOKEN_FILE") || strings.Contains(msg, "AAHdq") {
		t.Fatalf("error does not say why and what to use instead, or shows the token: %q", msg)
	}
}
