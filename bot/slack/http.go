package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// verified reads the body of a Slack request and checks its signature and
// timestamp (at most 5 minutes off) with the signing secret, and refuses a
// request seen before (a replay). It answers the refusal itself.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	select {
	case <-a.serving:
	default:
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.opts.SigningSecret.Reveal())
	if err == nil {
		sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	if !a.replays.first(r.Header.Get("X-Slack-Signature"), time.Now()) {
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// CommandsHandler serves /newsalert over HTTP (the slash command's Request
// URL, /slack/commands): verified, acknowledged at once with an empty 200,
// answered by response_url.
func (a *Adapter) CommandsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.verified(w, r)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		cmd := slack.SlashCommand{TeamID: form.Get("team_id"), ChannelID: form.Get("channel_id"), ChannelName: form.Get("channel_name"),
			UserID: form.Get("user_id"), UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"),
			ResponseURL: form.Get("response_url"), TriggerID: form.Get("trigger_id"), APIAppID: form.Get("api_app_id")}
		w.WriteHeader(http.StatusOK)
		a.runCommand(r.Context(), cmd)
	})
}

// EventsHandler serves the Events API Request URL (/slack/events):
// url_verification challenges and event callbacks, each verified; Slack's
// retries of an event already taken are acknowledged and dropped.
func (a *Adapter) EventsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.verified(w, r)
		if !ok {
			return
		}
		e, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "bad event", http.StatusBadRequest)
			return
		}
		if e.Type == slackevents.URLVerification {
			var c slackevents.ChallengeResponse
			json.Unmarshal(body, &c)
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, c.Challenge)
			return
		}
		var id struct {
			EventID string `json:"event_id"`
		}
		json.Unmarshal(body, &id)
		w.WriteHeader(http.StatusOK)
		if id.EventID == "" || a.seenOnce.first(id.EventID, time.Now()) {
			a.event(r.Context(), e)
		}
	})
}

// replayCache remembers keys (request signatures, event ids) for the
// 5 minutes a signed request stays valid, and a little more.
type replayCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func newReplayCache() *replayCache { return &replayCache{seen: map[string]time.Time{}} }

// first reports whether key is new, and remembers it.
func (c *replayCache) first(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) > 1000 {
		for k, t := range c.seen {
			if now.Sub(t) > 6*time.Minute {
				delete(c.seen, k)
			}
		}
	}
	if _, ok := c.seen[key]; ok && key != "" {
		return false
	}
	c.seen[key] = now
	return true
}
