package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// concurrencyProbe records how many requests it serves at once, overall and
// per Host header. Early requests wait (up to 5s) until target requests are
// in flight, so reaching the limit is certain; every request then stays a
// little while, so that a limiter letting too many through would be seen.
type concurrencyProbe struct {
	target  int64
	reached chan struct{}
	once    sync.Once

	mu      sync.Mutex
	cur     int64
	max     int64
	perHost map[string]*[2]int64 // current, max
}

func newConcurrencyProbe(target int64) *concurrencyProbe {
	return &concurrencyProbe{target: target, reached: make(chan struct{}), perHost: map[string]*[2]int64{}}
}

func (p *concurrencyProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, _ := strings.Cut(r.Host, ":")
	p.mu.Lock()
	p.cur++
	p.max = max(p.max, p.cur)
	h := p.perHost[host]
	if h == nil {
		h = &[2]int64{}
		p.perHost[host] = h
	}
	h[0]++
	h[1] = max(h[1], h[0])
	if p.cur >= p.target {
		p.once.Do(func() { close(p.reached) })
	}
	p.mu.Unlock()

	select {
	case <-p.reached:
	case <-time.After(5 * time.Second):
	case <-r.Context().Done():
	}
	time.Sleep(20 * time.Millisecond)

	p.mu.Lock()
	p.cur--
	h[0]--
	p.mu.Unlock()
	fmt.Fprint(w, "ok")
}

func (p *concurrencyProbe) maxes() (overall int64, perHost map[string]int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	perHost = map[string]int64{}
	for h, v := range p.perHost {
		perHost[h] = v[1]
	}
	return p.max, perHost
}

// fetchAll runs the fetches concurrently and returns their errors.
func fetchAll(f *Fetcher, urls []string) []error {
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() {
			_, errs[i] = f.Fetch(context.Background(), Request{URL: u})
		})
	}
	wg.Wait()
	return errs
}

func TestPerHostLimit(t *testing.T) {
	probe := newConcurrencyProbe(2)
	srv := newServer(t, probe)
	dns := newFakeDNS()
	dns.set("busy.example", addrOf(t, srv).Addr())
	f := newTestFetcher(t, Options{}, dns, srv) // PerHostLimit defaults to 2
	port := addrOf(t, srv).Port()
	urls := make([]string, 20)
	for i := range urls {
		// Ports and schemes of one host share its slots; vary the path.
		urls[i] = fmt.Sprintf("http://busy.example:%d/feed/%d", port, i)
	}
	for i, err := range fetchAll(f, urls) {
		if err != nil {
			t.Errorf("fetch %d: %v", i, err)
		}
	}
	if overall, _ := probe.maxes(); overall != 2 {
		t.Errorf("server saw at most %d concurrent requests from one host, want exactly 2", overall)
	}
	if n := f.hosts.size(); n != 0 {
		t.Errorf("%d hosts left in the limiter after all fetches returned", n)
	}
}

func TestGlobalLimit(t *testing.T) {
	probe := newConcurrencyProbe(3)
	srv := newServer(t, probe)
	ap := addrOf(t, srv)
	dns := newFakeDNS()
	var urls []string
	for _, h := range []string{"a.example", "b.example", "c.example"} {
		dns.set(h, ap.Addr())
		for i := range 4 {
			urls = append(urls, fmt.Sprintf("http://%s:%d/%d", h, ap.Port(), i))
		}
	}
	f := newTestFetcher(t, Options{GlobalLimit: 3, PerHostLimit: 2}, dns, srv)
	for i, err := range fetchAll(f, urls) {
		if err != nil {
			t.Errorf("fetch %d: %v", i, err)
		}
	}
	overall, perHost := probe.maxes()
	if overall != 3 {
		t.Errorf("server saw at most %d concurrent requests, want exactly the global limit 3", overall)
	}
	for h, n := range perHost {
		if n > 2 {
			t.Errorf("host %s saw %d concurrent requests, limit 2", h, n)
		}
	}
}

// blockingServer holds every request until release is closed or the client
// goes away, signalling arrivals.
type blockingServer struct {
	arrived chan struct{}
	release chan struct{}
	hits    atomic.Int64
}

func newBlockingServer() *blockingServer {
	return &blockingServer{arrived: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blockingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.hits.Add(1)
	b.arrived <- struct{}{}
	select {
	case <-b.release:
		fmt.Fprint(w, "ok")
	case <-r.Context().Done():
	}
}

func waitArrival(t *testing.T, b *blockingServer) {
	t.Helper()
	select {
	case <-b.arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("request did not reach the server")
	}
}

func TestFetchCancelWhileWaitingForSlot(t *testing.T) {
	bs := newBlockingServer()
	srv := newServer(t, bs)
	f := newTestFetcher(t, Options{PerHostLimit: 1}, nil, srv)

	first := make(chan error, 1)
	go func() {
		_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/first"})
		first <- err
	}()
	waitArrival(t, bs)

	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, Request{URL: srv.URL + "/second"})
		second <- err
	}()
	// Wait until the second fetch is queued for the host's slot.
	for deadline := time.Now().Add(5 * time.Second); ; {
		f.hosts.mu.Lock()
		s := f.hosts.hosts["127.0.0.1"]
		queued := s != nil && s.users == 2
		f.hosts.mu.Unlock()
		if queued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("second fetch never queued")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-second:
		var e *Error
		if !errors.As(err, &e) || e.Kind != Canceled || !errors.Is(err, context.Canceled) {
			t.Errorf("queued fetch after cancel = %v, want Canceled", err)
		}
		if e != nil && e.UserMessage() != "the fetch was canceled" {
			t.Errorf("UserMessage() = %q", e.UserMessage())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("queued fetch did not return within 5s of cancel")
	}
	close(bs.release)
	if err := <-first; err != nil {
		t.Errorf("first fetch: %v", err)
	}
	if n := bs.hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if n := f.hosts.size(); n != 0 {
		t.Errorf("%d hosts left in the limiter", n)
	}
}

func TestFetchCancelDuringRequest(t *testing.T) {
	bs := newBlockingServer()
	srv := newServer(t, bs)
	f := newTestFetcher(t, Options{}, nil, srv)
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, Request{URL: srv.URL})
		done <- err
	}()
	waitArrival(t, bs)
	cancel(errors.New("shutting down"))
	select {
	case err := <-done:
		var e *Error
		if !errors.As(err, &e) || e.Kind != Canceled || !errors.Is(err, context.Canceled) {
			t.Fatalf("Fetch after cancel = %v, want Canceled wrapping context.Canceled", err)
		}
		if !strings.Contains(e.Error(), "shutting down") {
			t.Errorf("Error() = %q, want the cancel cause", e.Error())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Fetch did not return within 5s of cancel")
	}
}

func TestFetchCallerDeadline(t *testing.T) {
	bs := newBlockingServer()
	srv := newServer(t, bs)
	f := newTestFetcher(t, Options{}, nil, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.Fetch(ctx, Request{URL: srv.URL})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Fetch past caller deadline = %v, want Timeout", err)
	}
	if !strings.HasPrefix(e.UserMessage(), "timed out after ") || !e.Retry() {
		t.Errorf("UserMessage %q Retry %v", e.UserMessage(), e.Retry())
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Fetch returned after %v with a 300ms deadline", elapsed)
	}
}

func TestHostLimiterForgetsIdleHosts(t *testing.T) {
	l := newHostLimiter(1)
	ctx := context.Background()
	releaseA, err := l.acquire(ctx, "a.example")
	if err != nil {
		t.Fatal(err)
	}
	releaseB, err := l.acquire(ctx, "b.example")
	if err != nil {
		t.Fatal(err)
	}
	if n := l.size(); n != 2 {
		t.Fatalf("size = %d, want 2", n)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.acquire(canceled, "a.example"); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire on a full host with a canceled ctx = %v", err)
	}
	releaseA()
	releaseB()
	if n := l.size(); n != 0 {
		t.Errorf("size after release = %d, want 0", n)
	}
}
