package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

// postStream posts a body that the test writes (or never finishes) and
// returns the status, or -1 when no answer came within 20 s.
func postStream(t *testing.T, url string, header map[string]string, body io.Reader, length int64) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestInteractionsEndpointChecksHeadersBeforeTheBody: an unsigned request
// is refused without its body being read, and a signed one whose body is
// trickled is cut off by the read deadline rather than held.
func TestInteractionsEndpointChecksHeadersBeforeTheBody(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	_, srv := endpoint(t, f, &recorder{}, nil)
	url := srv.URL + "/discord/interactions"

	never, w := io.Pipe() // a body that never arrives
	defer w.Close()
	if status := postStream(t, url, map[string]string{"Content-Type": "application/json"}, never, 100); status != http.StatusUnauthorized {
		t.Errorf("unsigned request with a body that never comes: status %d, want 401 at once", status)
	}

	trickle, tw := io.Pipe()
	go func() {
		for range 30 {
			if _, err := tw.Write([]byte(" ")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
		tw.Close()
	}()
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	hdr := map[string]string{"X-Signature-Timestamp": stamp, "X-Signature-Ed25519": discordfake.SignRequest(testKey(1), stamp, []byte("{}"))}
	if status := postStream(t, url, hdr, trickle, 1000); status != http.StatusBadRequest {
		t.Errorf("trickled body: status %d, want 400 once the read deadline passes", status)
	}
	tw.Close()

	if status := postStream(t, url, hdr, never, 1<<20); status != http.StatusRequestEntityTooLarge {
		t.Errorf("declared 1 MiB body: status %d, want 413 before reading", status)
	}
}

// TestInteractionReplayIsRefusedByAnotherReplica: two processes share the
// replay protection through Redis.
func TestInteractionReplayIsRefusedByAnotherReplica(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.Client(t)
	claim := func(ctx context.Context, id string) bool {
		ok, err := rdb.SetNX(ctx, prefix+"interaction:"+id, "x", 15*time.Minute).Result()
		return ok || err != nil
	}
	f := newFake(t, nil)
	var urls []string
	for range 2 {
		a, _ := newAdapter(t, f, func(o *Options) {
			o.PublicKey = publicKeyHex(testKey(1))
			o.Claim = claim
		})
		connect(t, a)
		serve(t, a, &recorder{})
		mux := http.NewServeMux()
		mux.Handle("/discord/interactions", a.InteractionsHandler())
		srv := newTestServer(t, mux)
		urls = append(urls, srv+"/discord/interactions")
	}
	in := discordfake.Interaction{Command: "help", ChannelID: dmID, UserID: userID}
	p, status, err := f.DeliverHTTP(waitCtx(t), http.DefaultClient, urls[0], testKey(1), in)
	if err != nil || status != http.StatusOK {
		t.Fatalf("first delivery: %d %v", status, err)
	}
	status, _ = post(t, urls[1], p.Payload, signed(testKey(1), time.Now(), p.Payload))
	if status != http.StatusConflict {
		t.Errorf("replay to the other replica: status %d, want 409", status)
	}
}

func publicKeyHex(k ed25519.PrivateKey) string {
	return hex.EncodeToString(k.Public().(ed25519.PublicKey))
}

func newTestServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
