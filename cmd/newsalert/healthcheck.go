package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// runHealthcheck is `newsalert healthcheck`: it GETs the health URL and
// fails unless the answer is 200, for container health checks in images
// without curl.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("newsalert healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", defaultHealthURL(), "health endpoint to check (default: /healthz on NEWSALERT_HTTP_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: newsalert healthcheck [--url URL] [--timeout 3s]\n\nExits 0 when URL answers 200 OK (for Docker HEALTHCHECK).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", *url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s", *url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// defaultHealthURL is /healthz on NEWSALERT_HTTP_ADDR's port, on loopback.
func defaultHealthURL() string {
	port := "8080"
	if addr := os.Getenv("NEWSALERT_HTTP_ADDR"); addr != "" && addr != "off" {
		if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
			port = p
		}
	}
	return "http://127.0.0.1:" + port + "/healthz"
}
