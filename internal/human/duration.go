// Package human formats values the way people write them in replies, logs
// and error messages.
package human

import (
	"strconv"
	"strings"
	"time"
)

// Duration renders d as people write intervals: "90s" as "1m30s", "2m",
// "10m", "2h30m", "1000h", "500ms"; zero units are left out ("1h5s"), and
// fractions of a second only appear below a minute ("1.5s"). Negative
// durations get a leading "-".
func Duration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	if d < 0 {
		return "-" + Duration(-d)
	}
	if d < time.Second {
		return d.String() // "500ms", "250µs"
	}
	var b strings.Builder
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	if h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "h")
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "m")
	}
	if h > 0 || m > 0 {
		d = d.Round(time.Second)
	}
	switch {
	case d == 0:
	case d%time.Second == 0:
		b.WriteString(strconv.FormatInt(int64(d/time.Second), 10) + "s")
	default:
		b.WriteString(strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s")
	}
	return b.String()
}
