package schedule

import "time"

// InQuiet reports whether instant t is inside the quiet hours q of a chat in
// zone loc (nil means UTC).
//
// Each day has one quiet period, a continuous stretch of real time from the
// instant q.Start happens that day to the instant q.End next happens (the
// same day, or the next when the range spans midnight), both placed by the
// package's wall clock rules. So on a fall-back night "22:00-07:00" in
// Europe/Berlin is ten hours long and a repeated hour is not quiet twice, and
// a window wholly inside a spring-forward gap is empty that day. Start is
// inclusive and End exclusive: with "22:00-07:00", 07:00:00 is not quiet.
// q off, or with Start equal to End, is never quiet.
func InQuiet(t time.Time, loc *time.Location, q Quiet) bool {
	if !q.holds() {
		return false
	}
	_, ok := containingPeriod(t, orUTC(loc), q)
	return ok
}

// NextDigest returns the earliest digest time at or after t for digest d in
// zone loc (nil means UTC):
//
//   - Off (or an unknown Mode): t itself.
//   - Hourly: the first instant at or after t at which the local wall clock
//     reads a whole hour. In zones with whole-hour offset changes that is
//     every real hour, both passes through a repeated fall-back hour
//     included; in Australia/Lord_Howe, whose clocks move 30 minutes, a gap
//     from 02:00 to 02:30 makes the next whole hour 03:00.
//   - Daily: the first instant at or after t at which d.At happens, by the
//     package's wall clock rules: an At skipped by a spring-forward gap
//     happens at the first instant after the gap (02:30 becomes 03:00 CEST in
//     Europe/Berlin), and an At repeated by a fall-back happens once, at its
//     first occurrence.
//
// Digest times are whole seconds. t exactly at a digest time returns t.
func NextDigest(t time.Time, loc *time.Location, d Digest) time.Time {
	loc = orUTC(loc)
	switch d.Mode {
	case Hourly:
		return nextWholeHour(t, loc)
	case Daily:
		return nextDaily(t, loc, d.At)
	}
	return t
}

// Release returns when an alert that became ready at t may be delivered, in
// a chat with time zone loc (nil means UTC) and quiet hours q, for a
// subscription with digest setting d:
//
//   - t itself when neither quiet hours nor a digest hold it back;
//   - when t is inside quiet hours, the end of that quiet period, digest or
//     not: the quiet hours' backlog goes out as one digest then;
//   - otherwise with a digest, the next digest time (NextDigest); but if a
//     quiet period begins before that digest time, the end of that quiet
//     period instead, since that digest time is either inside quiet hours or
//     after the end-of-quiet delivery, which bundles everything waiting.
//
// Put differently, with a digest the alert goes out at the first delivery
// point at or after t, the delivery points being the digest times outside
// quiet hours and the ends of quiet periods; without one, at the first
// instant at or after t outside quiet hours.
//
// Guarantees, for every t: Release(t) is not before t; it is never inside
// quiet hours; and it is a fixed point, Release(Release(t)) equals
// Release(t), so a delivery loop can re-check a due alert without moving it.
// The result is t unchanged or an instant in loc; compare with Equal.
func Release(t time.Time, loc *time.Location, q Quiet, d Digest) time.Time {
	loc = orUTC(loc)
	quiet := q.holds()
	if quiet {
		if p, ok := containingPeriod(t, loc, q); ok {
			return quietEnd(p, loc, q)
		}
	}
	if !d.holds() {
		return t
	}
	next := NextDigest(t, loc, d)
	if !quiet {
		return next
	}
	if InQuiet(t.Add(-time.Nanosecond), loc, q) {
		// t is the very end of a quiet period: it joins that delivery.
		return t
	}
	if p := nextPeriodAfter(t, loc, q); !p.start.After(next) {
		return quietEnd(p, loc, q)
	}
	return next
}
