package schedule

import (
	"testing"
	"time"
)

// DST changes the cases below sit on (2026):
//
//	Europe/Berlin        Mar 29 02:00 CET -> 03:00 CEST;  Oct 25 03:00 CEST -> 02:00 CET
//	America/New_York     Mar 8 02:00 EST -> 03:00 EDT;    Nov 1 02:00 EDT -> 01:00 EST
//	Australia/Lord_Howe  Apr 5 02:00 +11 -> 01:30 +1030; Oct 4 02:00 +1030 -> 02:30 +11
//	Pacific/Chatham      Apr 5 03:45 +1345 -> 02:45 +1245; Sep 27 02:45 +1245 -> 03:45 +1345
//	Asia/Kolkata         none, +0530

func TestNextDigest(t *testing.T) {
	tests := []struct {
		name, zone, digest, at, want string
	}{
		{"berlin daily in spring gap", "Europe/Berlin", "daily 02:30", "2026-03-29 01:10 +0100", "2026-03-29 03:00 +0200"},
		{"berlin daily gap end is due", "Europe/Berlin", "daily 02:30", "2026-03-29 03:00 +0200", "2026-03-29 03:00 +0200"},
		{"berlin daily after gap", "Europe/Berlin", "daily 02:30", "2026-03-29 03:00:01 +0200", "2026-03-30 02:30 +0200"},
		{"berlin daily fall-back first pass", "Europe/Berlin", "daily 02:30", "2026-10-25 02:10 +0200", "2026-10-25 02:30 +0200"},
		{"berlin daily fall-back after first", "Europe/Berlin", "daily 02:30", "2026-10-25 02:40 +0200", "2026-10-26 02:30 +0100"},
		{"berlin daily fall-back second pass", "Europe/Berlin", "daily 02:30", "2026-10-25 02:10 +0100", "2026-10-26 02:30 +0100"},
		{"berlin daily normal", "Europe/Berlin", "daily 08:00", "2026-06-01 09:00 +0200", "2026-06-02 08:00 +0200"},
		{"berlin daily midnight", "Europe/Berlin", "daily 00:00", "2026-12-31 23:59:59.5 +0100", "2027-01-01 00:00 +0100"},
		{"berlin hourly over gap", "Europe/Berlin", "hourly", "2026-03-29 01:30 +0100", "2026-03-29 03:00 +0200"},
		{"berlin hourly into repeated hour", "Europe/Berlin", "hourly", "2026-10-25 02:10 +0200", "2026-10-25 02:00 +0100"},
		{"berlin hourly exact", "Europe/Berlin", "hourly", "2026-06-01 10:00 +0200", "2026-06-01 10:00 +0200"},
		{"berlin hourly a nanosecond late", "Europe/Berlin", "hourly", "2026-06-01 10:00:00.000000001 +0200", "2026-06-01 11:00 +0200"},
		{"berlin off", "Europe/Berlin", "off", "2026-06-01 10:17 +0200", "2026-06-01 10:17 +0200"},
		{"new york daily in gap", "America/New_York", "daily 02:30", "2026-03-08 01:59 -0500", "2026-03-08 03:00 -0400"},
		{"new york daily fall-back first", "America/New_York", "daily 01:30", "2026-11-01 00:00 -0400", "2026-11-01 01:30 -0400"},
		{"new york daily fall-back second", "America/New_York", "daily 01:30", "2026-11-01 01:15 -0500", "2026-11-02 01:30 -0500"},
		{"new york hourly repeated hour", "America/New_York", "hourly", "2026-11-01 01:10 -0400", "2026-11-01 01:00 -0500"},
		{"kolkata hourly is utc half hour", "Asia/Kolkata", "hourly", "2026-01-15 10:20 +0530", "2026-01-15 11:00 +0530"},
		{"kolkata daily exact", "Asia/Kolkata", "daily 08:00", "2026-01-15 08:00 +0530", "2026-01-15 08:00 +0530"},
		{"kolkata daily just before", "Asia/Kolkata", "daily 08:00", "2026-01-15 07:59:59 +0530", "2026-01-15 08:00 +0530"},
		{"lord howe hourly over 30 min gap", "Australia/Lord_Howe", "hourly", "2026-10-04 01:45 +1030", "2026-10-04 03:00 +1100"},
		{"lord howe daily in gap", "Australia/Lord_Howe", "daily 02:15", "2026-10-04 00:00 +1030", "2026-10-04 02:30 +1100"},
		{"lord howe daily fall-back first", "Australia/Lord_Howe", "daily 01:45", "2026-04-05 01:00 +1100", "2026-04-05 01:45 +1100"},
		{"lord howe daily fall-back second", "Australia/Lord_Howe", "daily 01:45", "2026-04-05 01:40 +1030", "2026-04-06 01:45 +1030"},
		{"lord howe hourly fall-back", "Australia/Lord_Howe", "hourly", "2026-04-05 01:50 +1100", "2026-04-05 02:00 +1030"},
		{"chatham hourly exact", "Pacific/Chatham", "hourly", "2026-01-10 10:00 +1345", "2026-01-10 10:00 +1345"},
		{"chatham hourly", "Pacific/Chatham", "hourly", "2026-01-10 10:01 +1345", "2026-01-10 11:00 +1345"},
		{"chatham daily in gap", "Pacific/Chatham", "daily 03:00", "2026-09-27 00:00 +1245", "2026-09-27 03:45 +1345"},
		{"chatham daily fall-back first", "Pacific/Chatham", "daily 03:00", "2026-04-05 02:00 +1345", "2026-04-05 03:00 +1345"},
		{"chatham daily fall-back second", "Pacific/Chatham", "daily 03:00", "2026-04-05 03:10 +1245", "2026-04-06 03:00 +1245"},
		{"apia skipped day", "Pacific/Apia", "daily 08:00", "2011-12-29 22:00 -1000", "2011-12-31 00:00 +1400"},
		{"apia day after skip", "Pacific/Apia", "daily 08:00", "2011-12-31 00:00:01 +1400", "2011-12-31 08:00 +1400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			d := mustDigest(t, tt.digest)
			at, want := ts(t, tt.at), ts(t, tt.want)
			got := NextDigest(at, loc, d)
			if !got.Equal(want) {
				t.Errorf("NextDigest(%s, %s) = %s, want %s", local(at, loc), tt.digest, local(got, loc), local(want, loc))
			}
			if again := NextDigest(got, loc, d); !again.Equal(got) {
				t.Errorf("NextDigest(%s) = %s, not a fixed point", local(got, loc), local(again, loc))
			}
		})
	}
}

func TestInQuiet(t *testing.T) {
	tests := []struct {
		name, zone, quiet, at string
		want                  bool
	}{
		{"before start", "Europe/Berlin", "22:00-07:00", "2026-06-01 21:59:59 +0200", false},
		{"start is quiet", "Europe/Berlin", "22:00-07:00", "2026-06-01 22:00 +0200", true},
		{"after midnight", "Europe/Berlin", "22:00-07:00", "2026-06-02 06:59:59 +0200", true},
		{"end is not quiet", "Europe/Berlin", "22:00-07:00", "2026-06-02 07:00 +0200", false},
		{"midday", "Europe/Berlin", "22:00-07:00", "2026-06-02 12:00 +0200", false},
		{"daytime range", "Europe/Berlin", "13:00-14:00", "2026-06-02 13:30 +0200", true},
		{"off", "Europe/Berlin", "off", "2026-06-02 23:30 +0200", false},
		{"fall-back night repeated hour", "Europe/Berlin", "22:00-07:00", "2026-10-25 02:30 +0100", true},
		{"fall-back night late", "Europe/Berlin", "22:00-07:00", "2026-10-25 06:59 +0100", true},
		{"fall-back night end", "Europe/Berlin", "22:00-07:00", "2026-10-25 07:00 +0100", false},
		{"ends in repeated hour first pass", "Europe/Berlin", "22:00-02:30", "2026-10-25 02:20 +0200", true},
		{"ends in repeated hour at end", "Europe/Berlin", "22:00-02:30", "2026-10-25 02:30 +0200", false},
		{"ends in repeated hour not twice", "Europe/Berlin", "22:00-02:30", "2026-10-25 02:10 +0100", false},
		{"starts in repeated hour stays quiet", "Europe/Berlin", "02:30-06:00", "2026-10-25 02:10 +0100", true},
		{"window inside gap is empty before", "Europe/Berlin", "02:15-02:45", "2026-03-29 01:59 +0100", false},
		{"window inside gap is empty after", "Europe/Berlin", "02:15-02:45", "2026-03-29 03:00 +0200", false},
		{"window inside gap next day", "Europe/Berlin", "02:15-02:45", "2026-03-30 02:20 +0200", true},
		{"end in gap before", "Europe/Berlin", "01:00-02:30", "2026-03-29 01:30 +0100", true},
		{"end in gap moves to gap end", "Europe/Berlin", "01:00-02:30", "2026-03-29 03:00 +0200", false},
		{"new york over midnight", "America/New_York", "23:00-01:00", "2026-07-04 00:30 -0400", true},
		{"new york fall-back night", "America/New_York", "23:00-06:00", "2026-11-01 01:30 -0500", true},
		{"kolkata before", "Asia/Kolkata", "22:00-07:00", "2026-01-15 21:59 +0530", false},
		{"kolkata start", "Asia/Kolkata", "22:00-07:00", "2026-01-15 22:00 +0530", true},
		{"lord howe end in gap", "Australia/Lord_Howe", "01:00-02:15", "2026-10-04 01:59 +1030", true},
		{"lord howe end in gap moves", "Australia/Lord_Howe", "01:00-02:15", "2026-10-04 02:30 +1100", false},
		{"lord howe fall-back not twice", "Australia/Lord_Howe", "01:00-01:45", "2026-04-05 01:40 +1030", false},
		{"lord howe fall-back first", "Australia/Lord_Howe", "01:00-01:45", "2026-04-05 01:40 +1100", true},
		{"chatham end in gap", "Pacific/Chatham", "22:00-03:00", "2026-09-27 02:44 +1245", true},
		{"chatham end in gap moves", "Pacific/Chatham", "22:00-03:00", "2026-09-27 03:45 +1345", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			q := mustQuiet(t, tt.quiet)
			at := ts(t, tt.at)
			if got := InQuiet(at, loc, q); got != tt.want {
				t.Errorf("InQuiet(%s, %s) = %v, want %v", local(at, loc), tt.quiet, got, tt.want)
			}
		})
	}
}

func TestRelease(t *testing.T) {
	tests := []struct {
		name, zone, quiet, digest, at, want string
	}{
		{"nothing holds", "Europe/Berlin", "off", "off", "2026-06-01 23:15 +0200", "2026-06-01 23:15 +0200"},
		{"outside quiet", "Europe/Berlin", "22:00-07:00", "off", "2026-06-01 21:15 +0200", "2026-06-01 21:15 +0200"},
		{"in quiet", "Europe/Berlin", "22:00-07:00", "off", "2026-06-01 23:15 +0200", "2026-06-02 07:00 +0200"},
		{"in quiet with digest", "Europe/Berlin", "22:00-07:00", "daily 08:00", "2026-06-01 23:15 +0200", "2026-06-02 07:00 +0200"},
		{"hourly digest falls in quiet", "Europe/Berlin", "22:00-07:00", "hourly", "2026-06-01 21:30 +0200", "2026-06-02 07:00 +0200"},
		{"hourly at quiet end joins it", "Europe/Berlin", "22:00-07:00", "hourly", "2026-06-02 07:00 +0200", "2026-06-02 07:00 +0200"},
		{"hourly after quiet", "Europe/Berlin", "22:00-07:00", "hourly", "2026-06-02 07:10 +0200", "2026-06-02 08:00 +0200"},
		{"hourly before short quiet", "Europe/Berlin", "22:10-22:40", "hourly", "2026-06-01 22:05 +0200", "2026-06-01 22:40 +0200"},
		{"hourly after short quiet", "Europe/Berlin", "22:10-22:40", "hourly", "2026-06-01 22:41 +0200", "2026-06-01 23:00 +0200"},
		{"daily after quiet", "Europe/Berlin", "22:00-07:00", "daily 08:00", "2026-06-02 07:30 +0200", "2026-06-02 08:00 +0200"},
		{"daily inside quiet", "Europe/Berlin", "22:00-07:00", "daily 23:00", "2026-06-01 12:00 +0200", "2026-06-02 07:00 +0200"},
		{"daily 02:30 fall-back second pass", "Europe/Berlin", "off", "daily 02:30", "2026-10-25 02:40 +0100", "2026-10-26 02:30 +0100"},
		{"daily in gap inside quiet", "Europe/Berlin", "01:00-02:45", "daily 02:30", "2026-03-29 00:30 +0100", "2026-03-29 03:00 +0200"},
		{"quiet over fall-back night", "Europe/Berlin", "22:00-07:00", "off", "2026-10-25 02:30 +0200", "2026-10-25 07:00 +0100"},
		{"quiet over spring night", "Europe/Berlin", "22:00-07:00", "hourly", "2026-03-29 01:30 +0100", "2026-03-29 07:00 +0200"},
		{"new york fall-back night", "America/New_York", "23:00-06:00", "off", "2026-11-01 01:30 -0500", "2026-11-01 06:00 -0500"},
		{"kolkata quiet", "Asia/Kolkata", "22:00-07:00", "hourly", "2026-01-15 21:45 +0530", "2026-01-16 07:00 +0530"},
		{"lord howe quiet end in gap", "Australia/Lord_Howe", "23:00-02:15", "off", "2026-10-04 01:00 +1030", "2026-10-04 02:30 +1100"},
		{"chatham quiet and digest in gap", "Pacific/Chatham", "02:00-03:30", "daily 03:00", "2026-09-27 01:00 +1245", "2026-09-27 03:45 +1345"},
		{"chatham hourly", "Pacific/Chatham", "off", "hourly", "2026-09-27 04:10 +1345", "2026-09-27 05:00 +1345"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			q, d := mustQuiet(t, tt.quiet), mustDigest(t, tt.digest)
			at, want := ts(t, tt.at), ts(t, tt.want)
			got := Release(at, loc, q, d)
			if !got.Equal(want) {
				t.Errorf("Release(%s, %s, %s) = %s, want %s", local(at, loc), q, d, local(got, loc), local(want, loc))
			}
			if again := Release(got, loc, q, d); !again.Equal(got) {
				t.Errorf("Release(%s) = %s, not a fixed point", local(got, loc), local(again, loc))
			}
		})
	}
}

// TestNilAndOddSettings checks inputs ParseQuiet and ParseDigest never
// produce: a nil Location means UTC, Start == End holds nothing, an unknown
// Mode is off, and out-of-range Clocks wrap.
func TestNilAndOddSettings(t *testing.T) {
	at := time.Date(2026, 6, 1, 23, 15, 0, 0, time.UTC)
	if got := Release(at, nil, mustQuiet(t, "22-7"), Digest{}); !got.Equal(time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("Release with nil loc = %s, want 07:00 UTC", got)
	}
	if got := NextDigest(at, nil, Digest{Mode: Hourly}); !got.Equal(time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("NextDigest with nil loc = %s, want 00:00 UTC", got)
	}
	same := Quiet{Start: 60, End: 60, On: true}
	if InQuiet(at, nil, same) || !Release(at, nil, same, Digest{}).Equal(at) {
		t.Error("Quiet with Start == End held an alert")
	}
	if got := Release(at, nil, Quiet{}, Digest{Mode: Mode(7), At: 60}); !got.Equal(at) {
		t.Errorf("unknown Mode held an alert until %s", got)
	}
	wrapped := Quiet{Start: 1320 + MinutesPerDay, End: 420 - MinutesPerDay, On: true}
	if !InQuiet(at, nil, wrapped) {
		t.Error("out-of-range Clocks did not wrap")
	}
	if got := NextDigest(at, nil, Digest{Mode: Daily, At: -60}); !got.Equal(time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC).AddDate(0, 0, 1)) {
		t.Errorf("Daily At -60 = %s, want 23:00 next day", got)
	}
}

// TestExtremeInstants checks that instants far outside any zone's data
// (local mean time before 1900, rule-extended times far ahead) still get a
// release that keeps the guarantees, without hanging.
func TestExtremeInstants(t *testing.T) {
	loc := mustLoad(t, "Pacific/Chatham")
	q := mustQuiet(t, "22:00-07:00")
	for _, at := range []time.Time{{}, time.Date(1850, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(100000, 3, 1, 0, 0, 0, 0, time.UTC)} {
		for _, d := range []Digest{{Mode: Hourly}, {Mode: Daily, At: 180}} {
			r := Release(at, loc, q, d)
			if r.Before(at) || InQuiet(r, loc, q) || !Release(r, loc, q, d).Equal(r) || r.Sub(at) > 30*time.Hour {
				t.Errorf("Release(%s, %s) = %s breaks a guarantee", local(at, loc), d, local(r, loc))
			}
		}
	}
}
