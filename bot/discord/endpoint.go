package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	maxInteractionBody = 64 << 10
	maxSignatureAge    = 5 * time.Minute
	// maxBodyReadTime bounds the read of an interaction's body; Discord
	// sends it at once.
	maxBodyReadTime = 5 * time.Second
)

var errNotServing = errors.New("discord interactions endpoint: the bot is not serving")

// InteractionsHandler is the HTTP interactions endpoint (mounted by main at
// /discord/interactions when PublicKey is set). It verifies Discord's
// Ed25519 signature over timestamp+body, refuses timestamps more than five
// minutes off and replays of an interaction (shared through Claim), checks
// the signature headers before reading the body, reads it within 5 s and
// caps it at 64 KiB, answers
// PING with PONG, and answers commands and autocomplete through the running
// Serve with the initial response in the HTTP answer (deferred when the
// command is slow). Without a public key it answers 404; while Serve is not
// running it answers 503.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(a.serveInteraction)
}

func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if a.publicKey == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Nothing is done with the body before the signature is checked, and
	// the headers are checked before the body is read at all: a request
	// without a well-formed, current signature is refused unread.
	sigHex, stamp := r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp")
	sig, ok := a.signatureHeaders(sigHex, stamp)
	if !ok {
		a.log.Warn("discord interactions endpoint: missing, malformed or stale signature", "remote_addr", r.RemoteAddr)
		refuseUnread(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	if r.ContentLength > maxInteractionBody {
		refuseUnread(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	// A body trickled in is cut off by this deadline (and the server's
	// read timeout), not waited for.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(maxBodyReadTime))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !a.verifySignature(sig, stamp, body) {
		a.log.Warn("discord interactions endpoint: bad signature", "remote_addr", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var in discordgo.Interaction
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "invalid interaction", http.StatusBadRequest)
		return
	}
	if in.Type == discordgo.InteractionPing {
		writeInteractionJSON(w, &interactionResponse{Type: respPong})
		return
	}
	// Replays are refused by this process's cache and, through Claim, by
	// every replica sharing the Redis.
	if in.ID == "" || !a.replays.first(in.ID, a.now()) || (a.opts.Claim != nil && !a.opts.Claim(r.Context(), in.ID)) {
		http.Error(w, "interaction already received", http.StatusConflict)
		return
	}
	st := a.serving.Load()
	if st == nil {
		http.Error(w, errNotServing.Error(), http.StatusServiceUnavailable)
		return
	}
	answer := make(chan *interactionResponse, 1)
	j := job{in: &in, received: a.now(), respond: func(ctx context.Context, resp *interactionResponse) error {
		select {
		case answer <- resp:
			return nil
		default:
			return errors.New("interaction already answered")
		}
	}}
	select {
	case st.jobs <- j:
	case <-st.ctx.Done():
		http.Error(w, errNotServing.Error(), http.StatusServiceUnavailable)
		return
	case <-r.Context().Done():
		return
	}
	select {
	case resp := <-answer:
		writeInteractionJSON(w, resp)
	case <-r.Context().Done():
	case <-st.ctx.Done():
		http.Error(w, errNotServing.Error(), http.StatusServiceUnavailable)
	}
}

// refuseUnread answers without reading the request's body and closes the
// connection, so that the server does not read the body either.
func refuseUnread(w http.ResponseWriter, msg string, status int) {
	w.Header().Set("Connection", "close")
	http.Error(w, msg, status)
}

func writeInteractionJSON(w http.ResponseWriter, resp *interactionResponse) {
	b, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// signatureHeaders checks what can be checked before the body is read:
// a signature of the right form and a timestamp within five minutes of
// now. It returns the decoded signature.
func (a *Adapter) signatureHeaders(sigHex, timestamp string) ([]byte, bool) {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, false
	}
	secs, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return nil, false
	}
	age := a.now().Sub(time.Unix(secs, 0))
	if age > maxSignatureAge || age < -maxSignatureAge {
		return nil, false
	}
	return sig, true
}

// verifySignature checks the Ed25519 signature over timestamp+body.
func (a *Adapter) verifySignature(sig []byte, timestamp string, body []byte) bool {
	msg := make([]byte, 0, len(timestamp)+len(body))
	msg = append(append(msg, timestamp...), body...)
	return ed25519.Verify(a.publicKey, msg, sig)
}

// replayCache remembers interaction ids seen in the last signature window,
// so a captured request cannot be played again while its timestamp is
// still accepted.
type replayCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func newReplayCache() *replayCache { return &replayCache{seen: map[string]time.Time{}} }

// first records id and reports whether it was new.
func (c *replayCache) first(id string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) > 1024 {
		for k, t := range c.seen {
			if now.Sub(t) > 2*maxSignatureAge {
				delete(c.seen, k)
			}
		}
	}
	if _, dup := c.seen[id]; dup {
		return false
	}
	c.seen[id] = now
	return true
}
