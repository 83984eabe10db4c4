package schedule

import "time"

// This file maps wall-clock readings to instants. A zone's history is a
// sequence of segments (time.Time.ZoneBounds), each with one UTC offset; in
// a segment with offset o the wall clock at instant u reads u+o. Walking the
// segments in order makes every rule exact, with no guessing around
// transitions (time.Date leaves the instant of a skipped or repeated wall
// time unspecified).

// offsetMargin exceeds every UTC offset any zone has used (historical local
// mean times included), so no instant more than this before a wall reading
// can show it.
const offsetMargin = 27 * 3600

// orUTC returns loc, or time.UTC for nil, so a nil Location never panics.
func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// wallAt returns the wall reading of clock c on the calendar day y-m-d (days
// may overflow; they normalize like time.Date) as seconds on the Unix scale,
// as if the wall clock were UTC.
func wallAt(y int, m time.Month, d int, c Clock) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() + int64(c.norm())*60
}

// firstAtOrAfter returns the earliest instant at which the wall clock of loc
// reads w (see wallAt) or later: the instant w happens; the first instant
// after the gap when a spring-forward skips w; the first occurrence when a
// fall-back repeats w. It is non-decreasing in w.
func firstAtOrAfter(w int64, loc *time.Location) time.Time {
	seg := time.Unix(w-offsetMargin, 0).In(loc)
	for {
		_, off := seg.Zone()
		_, end := seg.ZoneBounds()
		// Within this segment the wall clock reads u+off: w or later from
		// u = w-off on.
		u := max(seg.Unix(), w-int64(off))
		if end.IsZero() || !end.After(seg) || u < end.Unix() {
			return time.Unix(u, 0).In(loc)
		}
		seg = end
	}
}

// nextWholeHour returns the earliest instant at or after t at which the wall
// clock of loc reads a whole hour (minute and second zero). Each pass through
// a repeated hour counts; an hour skipped by a gap does not, so after a
// 30-minute spring-forward from 02:00 to 02:30 the next whole hour is 03:00.
func nextWholeHour(t time.Time, loc *time.Location) time.Time {
	seg := t.In(loc)
	for {
		_, off := seg.Zone()
		_, end := seg.ZoneBounds()
		wall := seg.Unix() + int64(off)
		if seg.Nanosecond() > 0 {
			wall++ // the hour must not be before t's fraction of a second
		}
		u := ceilDiv(wall, 3600)*3600 - int64(off)
		if end.IsZero() || !end.After(seg) || u < end.Unix() {
			return time.Unix(u, 0).In(loc)
		}
		seg = end
	}
}

// ceilDiv returns a/b rounded toward positive infinity, for b > 0.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// period is one quiet period: the instants from start (inclusive) to end
// (exclusive). It is empty when a DST gap swallows the whole window.
type period struct{ start, end time.Time }

// contains reports whether t is in p.
func (p period) contains(t time.Time) bool { return !t.Before(p.start) && t.Before(p.end) }

// quietPeriod returns the quiet period that starts on calendar day y-m-d
// (days may overflow). It ends on the same day, or on the next when End is
// not after Start. The caller ensures q.holds().
func quietPeriod(y int, m time.Month, d int, q Quiet, loc *time.Location) period {
	start, end := q.Start.norm(), q.End.norm()
	endDay := d
	if end <= start {
		endDay++
	}
	return period{
		start: firstAtOrAfter(wallAt(y, m, d, start), loc),
		end:   firstAtOrAfter(wallAt(y, m, endDay, end), loc),
	}
}

// containingPeriod returns the quiet period containing t, if any. Periods of
// successive days never overlap; a period containing t starts on a day
// within two days before t's local date or one day after (a fall-back over
// midnight can set the wall clock back into the previous day).
func containingPeriod(t time.Time, loc *time.Location, q Quiet) (period, bool) {
	y, m, d := t.In(loc).Date()
	for k := -2; k <= 1; k++ {
		if p := quietPeriod(y, m, d+k, q, loc); p.contains(t) {
			return p, true
		}
	}
	return period{}, false
}

// quietEnd returns the end of the quiet stretch that p belongs to: p's end,
// or the end of a following period that starts exactly there (a DST gap can
// join two nights), and so on.
func quietEnd(p period, loc *time.Location, q Quiet) time.Time {
	end := p.end
	for {
		next, ok := containingPeriod(end, loc, q)
		if !ok {
			return end
		}
		end = next.end
	}
}

// nextPeriodAfter returns the earliest non-empty quiet period starting after
// t. Period starts are non-decreasing day by day, so the first found is the
// earliest.
func nextPeriodAfter(t time.Time, loc *time.Location, q Quiet) period {
	y, m, d := t.In(loc).Date()
	for k := -1; ; k++ {
		if p := quietPeriod(y, m, d+k, q, loc); p.start.After(t) && p.end.After(p.start) {
			return p
		}
	}
}

// nextDaily returns the earliest time at or after t at which clock at
// happens (see firstAtOrAfter) in loc.
func nextDaily(t time.Time, loc *time.Location, at Clock) time.Time {
	y, m, d := t.In(loc).Date()
	for k := -1; ; k++ {
		if c := firstAtOrAfter(wallAt(y, m, d+k, at), loc); !c.Before(t) {
			return c
		}
	}
}
