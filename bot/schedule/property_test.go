package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

// randomInstant returns an instant in 1990-2040, half the time within a
// day of one of loc's offset changes, with a random fraction of a second
// now and then.
func randomInstant(rng *rand.Rand, loc *time.Location) time.Time {
	lo := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	t := time.Unix(lo+rng.Int64N(hi-lo), 0).In(loc)
	if rng.IntN(2) == 0 {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end.Add(time.Duration(rng.Int64N(2*86400)-86400) * time.Second)
		}
	}
	switch rng.IntN(4) {
	case 0:
		t = t.Add(time.Duration(rng.Int64N(int64(time.Second))))
	case 1:
		t = t.Truncate(time.Minute)
	}
	return t
}

// randomSettings returns quiet hours (sometimes off) and a digest setting
// with random minutes, the way ParseQuiet and ParseDigest would.
func randomSettings(rng *rand.Rand) (Quiet, Digest) {
	var q Quiet
	if rng.IntN(4) > 0 {
		q = Quiet{Start: Clock(rng.IntN(MinutesPerDay)), End: Clock(rng.IntN(MinutesPerDay)), On: true}
		if q.Start == q.End {
			q.End = (q.End + 1).norm()
		}
	}
	d := Digest{Mode: Mode(rng.IntN(3))}
	if d.Mode == Daily {
		d.At = Clock(rng.IntN(MinutesPerDay))
	}
	return q, d
}

// isDeliveryPoint reports whether an alert ready at u goes out at once.
func isDeliveryPoint(u time.Time, loc *time.Location, q Quiet, d Digest) bool {
	if InQuiet(u, loc, q) {
		return false
	}
	if !d.holds() {
		return true
	}
	return NextDigest(u, loc, d).Equal(u) || InQuiet(u.Add(-time.Nanosecond), loc, q)
}

// TestReleaseProperties checks, over random instants and settings in every
// test zone: Release(t) is not before t, is not in quiet hours, is its own
// release, and is the earliest such instant: no whole minute between t and
// it would have been a delivery point (digest times and quiet ends are
// whole minutes in these zones since 1990).
func TestReleaseProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	samples := 400
	if testing.Short() {
		samples = 50
	}
	for _, name := range testZones {
		loc := mustLoad(t, name)
		for range samples {
			at := randomInstant(rng, loc)
			q, d := randomSettings(rng)
			r := Release(at, loc, q, d)
			where := func() string { return local(at, loc) + " " + q.String() + " " + d.String() + " in " + name }
			if r.Before(at) {
				t.Fatalf("Release(%s) = %s, before t", where(), local(r, loc))
			}
			if InQuiet(r, loc, q) {
				t.Fatalf("Release(%s) = %s, inside quiet hours", where(), local(r, loc))
			}
			if again := Release(r, loc, q, d); !again.Equal(r) {
				t.Fatalf("Release(%s) = %s but Release of that = %s", where(), local(r, loc), local(again, loc))
			}
			if !isDeliveryPoint(r, loc, q, d) {
				t.Fatalf("Release(%s) = %s, not a delivery point", where(), local(r, loc))
			}
			if r.Sub(at) > 30*time.Hour {
				t.Fatalf("Release(%s) = %s, over 30 hours later", where(), local(r, loc))
			}
			for u := at.Truncate(time.Minute).Add(time.Minute); u.Before(r); u = u.Add(time.Minute) {
				if isDeliveryPoint(u, loc, q, d) {
					t.Fatalf("Release(%s) = %s, but %s was a delivery point", where(), local(r, loc), local(u, loc))
				}
			}
		}
	}
}

// wallMinutes returns the wall-clock reading of u in loc as whole minutes
// on a UTC-like scale, the way wallAt counts.
func wallMinutes(u time.Time, loc *time.Location) int64 {
	l := u.In(loc)
	y, m, d := l.Date()
	return (wallAt(y, m, d, 0) + int64(l.Hour()*3600+l.Minute()*60)) / 60
}

// TestWallClockOracle checks firstAtOrAfter and nextWholeHour against a
// brute-force scan, minute by minute, of the wall clock (offsets and
// transitions are whole minutes in these zones since 1990).
func TestWallClockOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	samples := 60
	if testing.Short() {
		samples = 10
	}
	for _, name := range testZones {
		loc := mustLoad(t, name)
		for range samples {
			base := randomInstant(rng, loc).Truncate(time.Minute)
			w := wallMinutes(base, loc) + rng.Int64N(240) - 120
			got := firstAtOrAfter(w*60, loc)
			want := base.Add(-20 * time.Hour)
			for wallMinutes(want, loc) < w {
				want = want.Add(time.Minute)
			}
			if !got.Equal(want) {
				t.Fatalf("%s: firstAtOrAfter(wall %s) = %s, scan says %s", name,
					time.Unix(w*60, 0).UTC().Format("2006-01-02 15:04"), local(got, loc), local(want, loc))
			}

			at := base.Add(time.Duration(rng.Int64N(int64(time.Hour))))
			hour := nextWholeHour(at, loc)
			scan := at.Truncate(time.Minute)
			for scan.Before(at) || scan.In(loc).Minute() != 0 {
				scan = scan.Add(time.Minute)
			}
			if !hour.Equal(scan) {
				t.Fatalf("%s: nextWholeHour(%s) = %s, scan says %s", name, local(at, loc), local(hour, loc), local(scan, loc))
			}
		}
	}
}

// TestInQuietMatchesWallClock checks that away from offset changes InQuiet
// is exactly "the wall clock reads within [Start, End)".
func TestInQuietMatchesWallClock(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, name := range testZones {
		loc := mustLoad(t, name)
		checked := 0
		for checked < 300 {
			at := randomInstant(rng, loc)
			_, off := at.Zone()
			_, offBefore := at.Add(-48 * time.Hour).Zone()
			_, offAfter := at.Add(48 * time.Hour).Zone()
			start, end := at.Add(-48*time.Hour), at.Add(48*time.Hour)
			if off != offBefore || off != offAfter {
				continue
			}
			if s, e := at.ZoneBounds(); s.After(start) || (!e.IsZero() && e.Before(end)) {
				continue
			}
			checked++
			q, _ := randomSettings(rng)
			l := at.In(loc)
			m := Clock(l.Hour()*60 + l.Minute())
			want := q.On && (q.Start < q.End && m >= q.Start && m < q.End ||
				q.Start > q.End && (m >= q.Start || m < q.End))
			if got := InQuiet(at, loc, q); got != want {
				t.Fatalf("%s: InQuiet(%s, %s) = %v, wall clock says %v", name, local(at, loc), q, got, want)
			}
		}
	}
}
