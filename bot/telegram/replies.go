package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsalert/newsalert/bot"
)

// mergeLimit is how long a message merged from several queued replies may
// grow; Telegram's limit is 4096 characters.
const mergeLimit = 4000

// mergeBacklog is how many replies must wait for one chat before replies
// quoting different commands are merged.
const mergeBacklog = 4

// replies sends command replies in the background, in order within each
// chat, so that one chat's rate limit does not hold up the commands of
// others. No reply is dropped: a chat's queue grows as needed (memory is
// the bound; the dispatcher bounds how many commands can be waiting), and
// when several replies wait for the same chat they go out merged into as
// few messages as fit, each reply still told in full. Serve owns it: its
// goroutines end with Serve's context and Serve waits for them.
type replies struct {
	a   *Adapter
	ctx context.Context

	mu     sync.Mutex
	queues map[string][]*replyJob // present while the chat's sender runs
	wg     sync.WaitGroup
}

// replyJob is one message to send or edit. An acknowledgement (ack) starts
// as its progress text and becomes the command's answer when finish is
// called: before it was sent, the answer simply takes its place; after,
// the answer edits the acknowledgement.
type replyJob struct {
	t       target
	replyTo int
	text    string
	done    []func() // called once the reply was delivered (or given up)

	taken   bool // a sender took it from the queue
	final   bool // the answer is known (always true for plain replies)
	sending bool // the acknowledgement is being sent
	msgID   int  // the acknowledgement's message, once sent
	editID  int  // for an edit job: the message to edit
}

func newReplies(ctx context.Context, a *Adapter) *replies {
	return &replies{a: a, ctx: ctx, queues: map[string][]*replyJob{}}
}

// send queues a reply to t; done (may be nil) runs once it is delivered.
func (r *replies) send(t target, replyTo int, text string, done func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.enqueueLocked(&replyJob{t: t, replyTo: replyTo, text: text, final: true, done: doneList(done)})
}

// ack queues an acknowledgement of a slow command and returns its handle
// for finish.
func (r *replies) ack(t target, replyTo int, text string) *replyJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := &replyJob{t: t, replyTo: replyTo, text: text}
	r.enqueueLocked(j)
	return j
}

// finish delivers the answer of the command j acknowledged: in its place
// when the acknowledgement is still queued, by editing it once sent.
func (r *replies) finish(j *replyJob, text string, done func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j.text, j.final, j.done = text, true, doneList(done)
	switch {
	case !j.taken || j.sending:
		// Still queued: it goes out as the answer. Being sent: the sender
		// queues the edit when the send returns.
	case j.msgID != 0:
		r.enqueueLocked(&replyJob{t: j.t, text: text, final: true, editID: j.msgID, done: j.done})
	default: // the acknowledgement could not be sent
		r.enqueueLocked(&replyJob{t: j.t, replyTo: j.replyTo, text: text, final: true, done: j.done})
	}
}

func doneList(f func()) []func() {
	if f == nil {
		return nil
	}
	return []func(){f}
}

func (r *replies) enqueueLocked(j *replyJob) {
	q, running := r.queues[j.t.key]
	r.queues[j.t.key] = append(q, j)
	if !running {
		r.wg.Add(1)
		go r.run(j.t.key)
	}
}

// run sends one chat's queue until it is empty.
func (r *replies) run(key string) {
	defer r.wg.Done()
	for {
		batch, ok := r.take(key)
		if !ok {
			return
		}
		r.deliver(batch)
	}
}

// take removes the next message's worth of jobs: an edit, an
// acknowledgement still waiting for its answer, or as many answered
// replies as fit in one message.
func (r *replies) take(key string) ([]*replyJob, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.queues[key]
	if len(q) == 0 || r.ctx.Err() != nil {
		delete(r.queues, key)
		return nil, false
	}
	first := q[0]
	first.taken = true
	if first.editID != 0 || !first.final {
		if !first.final {
			first.sending = true
		}
		r.queues[key] = q[1:]
		return q[:1:1], true
	}
	// Replies that quote their command (in groups) are merged only when a
	// backlog builds up; the merged message quotes the first command.
	backlog := len(q) >= mergeBacklog
	n, size := 1, len(first.text)
	for n < len(q) && q[n].final && q[n].editID == 0 && size+2+len(q[n].text) <= mergeLimit &&
		(backlog || first.replyTo == 0 && q[n].replyTo == 0) {
		size += 2 + len(q[n].text)
		q[n].taken = true
		n++
	}
	r.queues[key] = q[n:]
	return q[:n:n], true
}

func (r *replies) deliver(batch []*replyJob) {
	first := batch[0]
	switch {
	case first.editID != 0:
		r.a.editReply(r.ctx, first.t, first.editID, first.text)
	case !first.final:
		id := r.a.reply(r.ctx, first.t, first.replyTo, first.text)
		r.mu.Lock()
		first.sending, first.msgID = false, id
		if first.final {
			if id != 0 {
				r.enqueueLocked(&replyJob{t: first.t, text: first.text, final: true, editID: id, done: first.done})
			} else {
				r.enqueueLocked(&replyJob{t: first.t, replyTo: first.replyTo, text: first.text, final: true, done: first.done})
			}
		}
		r.mu.Unlock()
		return
	default:
		texts := make([]string, len(batch))
		for i, j := range batch {
			texts[i] = j.text
		}
		r.a.reply(r.ctx, first.t, first.replyTo, strings.Join(texts, "\n\n"))
	}
	for _, j := range batch {
		for _, f := range j.done {
			f()
		}
	}
}

// wait waits for every sender to finish.
func (r *replies) wait() { r.wg.Wait() }

// reply answers a command in the chat (and forum topic) it came from,
// quoting it in groups, and returns the id of the (first) message sent, 0
// when it could not be sent. It waits out 429s for as long as Telegram
// asks and retries network failures a few times; other failures are
// logged, since nobody else can act on them.
func (a *Adapter) reply(ctx context.Context, t target, replyTo int, text string) int {
	if text == "" {
		a.log.WarnContext(ctx, "telegram: empty reply not sent", "chat_id", t.key)
		return 0
	}
	first := 0
	for _, part := range splitText(text) {
		p := sendMessageParams{ChatID: t.chatID, MessageThreadID: t.thread, Text: part, LinkPreviewOptions: preview("")}
		if replyTo != 0 {
			p.ReplyParameters = &replyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
		}
		var res sentMessage
		if err := a.persist(ctx, t, func() error { return a.paced(ctx, t, "sendMessage", p, &res) }); err != nil {
			a.log.WarnContext(ctx, "telegram: reply not delivered", "chat_id", t.key, "err", err)
			return first
		}
		if first == 0 {
			first = res.MessageID
		}
	}
	return first
}

// editReply replaces an acknowledgement with the command's answer; an
// answer longer than one message continues in new messages, and an edit
// that fails is sent as a new message instead.
func (a *Adapter) editReply(ctx context.Context, t target, messageID int, text string) {
	parts := splitText(text)
	p := editMessageTextParams{ChatID: t.chatID, MessageID: messageID, Text: parts[0], LinkPreviewOptions: preview("")}
	err := a.persist(ctx, t, func() error { return a.paced(ctx, t, "editMessageText", p, nil) })
	if err != nil && !isNotModified(err) {
		a.log.WarnContext(ctx, "telegram: acknowledgement not edited; sending the answer", "chat_id", t.key, "err", err)
		a.reply(ctx, t, messageID, text)
		return
	}
	if len(parts) > 1 {
		a.reply(ctx, t, 0, strings.Join(parts[1:], "\n"))
	}
}

// persist runs call, waiting out every 429 (as long as ctx allows) and
// retrying a failure to reach Telegram a few times.
func (a *Adapter) persist(ctx context.Context, t target, call func() error) error {
	network := 0
	for {
		err := call()
		if err == nil || ctx.Err() != nil {
			return err
		}
		_, cerr := a.classify(t.key, err)
		var ra *bot.RetryAfterError
		var te *transportError
		switch {
		case errors.As(cerr, &ra):
			if sleep(ctx, ra.After) != nil {
				return err
			}
		case errors.As(err, &te) && !te.written && network < 3:
			network++
			if sleep(ctx, time.Duration(network)*time.Second) != nil {
				return err
			}
		default:
			return err
		}
	}
}

// chatKey names the conversation an update belongs to, for the dispatcher.
func chatKey(u update) string {
	m := u.Message
	if m == nil {
		m = u.ChannelPost
	}
	if m == nil || m.Chat == nil {
		return "update:" + strconv.Itoa(u.UpdateID)
	}
	return strconv.FormatInt(m.Chat.ID, 10)
}
