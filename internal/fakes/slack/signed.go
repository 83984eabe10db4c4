package slackfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

type bytesBuf struct{ b []byte }

func (b *bytesBuf) ReadFrom(r io.Reader) (int64, error) {
	var err error
	b.b, err = io.ReadAll(r)
	return int64(len(b.b)), err
}

// Sign sets the X-Slack-Request-Timestamp and X-Slack-Signature headers of
// req for body at ts with the fake's signing secret, as Slack signs every
// HTTP request it sends to an app.
func (f *Fake) Sign(req *http.Request, body []byte, ts time.Time) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(f.opts.SigningSecret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// SlashCommandRequest builds the signed form POST Slack sends to a slash
// command's Request URL, and the Pending that collects its responses.
func (f *Fake) SlashCommandRequest(ctx context.Context, endpoint string, cmd SlashCommand) (*http.Request, []byte, *Pending, error) {
	p := f.newPending()
	form := url.Values{}
	for k, v := range f.slashPayload(cmd, p) {
		form.Set(k, v)
	}
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f.Sign(req, body, f.opts.Now())
	return req, body, p, nil
}

// PostSlashCommand sends a signed slash command over HTTP to endpoint and
// records the HTTP answer (when it has a body) as the first response.
func (f *Fake) PostSlashCommand(ctx context.Context, endpoint string, cmd SlashCommand) (*Pending, int, error) {
	req, _, p, err := f.SlashCommandRequest(ctx, endpoint, cmd)
	if err != nil {
		return nil, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	p.acked(nil)
	if resp.StatusCode == http.StatusOK && len(bytes.TrimSpace(b)) > 0 {
		p.add("http", b)
	}
	return p, resp.StatusCode, nil
}

// EventRequest builds the signed JSON POST of an Events API payload (an
// event_callback from EventWrapper, or a url_verification).
func (f *Fake) EventRequest(ctx context.Context, endpoint string, payload map[string]any) (*http.Request, []byte, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	f.Sign(req, body, f.opts.Now())
	return req, body, nil
}
