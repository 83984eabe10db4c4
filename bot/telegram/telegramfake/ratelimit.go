package telegramfake

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Telegram's published limits for sending messages
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
// modelled as token buckets.
const (
	privatePerSecond = 1  // per private chat, in short bursts of privateBurst
	privateBurst     = 3  //
	groupPerMinute   = 20 // per group, supergroup or channel
	globalPerSecond  = 30 // for the whole bot
)

// limiter decides which sendMessage calls get a 429. It is guarded by the
// server's mutex.
type limiter struct {
	global *rate.Limiter
	chats  map[int64]*rate.Limiter
}

func newLimiter() *limiter {
	return &limiter{
		global: rate.NewLimiter(rate.Limit(globalPerSecond), globalPerSecond),
		chats:  map[int64]*rate.Limiter{},
	}
}

// allow takes a token for chatID and one for the bot, or neither; when it
// refuses it returns the retry_after Telegram would give, in whole seconds.
func (l *limiter) allow(now time.Time, chatID int64) (bool, int) {
	cl, ok := l.chats[chatID]
	if !ok {
		if chatID > 0 {
			cl = rate.NewLimiter(rate.Limit(privatePerSecond), privateBurst)
		} else {
			cl = rate.NewLimiter(rate.Every(time.Minute/groupPerMinute), groupPerMinute)
		}
		l.chats[chatID] = cl
	}
	cr := cl.ReserveN(now, 1)
	if d := cr.DelayFrom(now); d > 0 {
		cr.CancelAt(now)
		return false, seconds(d)
	}
	gr := l.global.ReserveN(now, 1)
	if d := gr.DelayFrom(now); d > 0 {
		gr.CancelAt(now)
		cr.CancelAt(now)
		return false, seconds(d)
	}
	return true, 0
}

func seconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
