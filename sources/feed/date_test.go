package feed

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.UTC)
	}
	want := utc(2025, 3, 1, 14, 5, 9)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Sat, 01 Mar 2025 14:05:09 +0000", want},
		{"Sat, 01 Mar 2025 15:05:09 +0100", want},
		{"Sat, 01 Mar 2025 14:05:09 GMT", want},
		{"Sat, 01 Mar 2025 14:05:09 UT", want},
		{"Sat, 01 Mar 2025 14:05:09 Z", want},
		{"Sat, 01 Mar 2025 09:05:09 EST", want},
		{"Sat, 01 Mar 2025 06:05:09 PST", want},
		{"Sat, 01 Mar 2025 15:05:09 CET", want},
		{"Sat, 1 Mar 2025 14:05:09 +0000", want},
		{"1 Mar 2025 14:05:09 +0000", want},
		{"Saturday, 01 March 2025 14:05:09 +0000", want},
		{"Sat, 01 Mar 25 14:05:09 +0000", want},
		{"sat, 01 mar 2025 14:05:09 gmt", want},
		{"Sat,01 Mar 2025 14:05:09 +0000", want},
		{"  Sat, 01 Mar 2025 14:05:09 +0000\n", want},
		{"Mon, 01 Mar 2025 14:05:09 +0000", want}, // wrong weekday: the date wins
		{"Sat, 01 Mar 2025 14:05:09 +00:00", want},
		{"Sat, 01 Mar 2025 14:05:09 GMT+0100", utc(2025, 3, 1, 13, 5, 9)},
		{"Sat, 01 Mar 2025 14:05 +0000", utc(2025, 3, 1, 14, 5, 0)},
		{"Sat, 01 Mar 2025 14:05:09", want},
		{"Sat, 01 Mar 2025", utc(2025, 3, 1, 0, 0, 0)},
		{"2025-03-01T14:05:09Z", want},
		{"2025-03-01T14:05:09.123Z", want.Add(123 * time.Millisecond)},
		{"2025-03-01T16:05:09+02:00", want},
		{"2025-03-01T16:05:09+0200", want},
		{"2025-03-01T14:05Z", utc(2025, 3, 1, 14, 5, 0)},
		{"2025-03-01T14:05:09", want},
		{"2025-03-01 14:05:09", want},
		{"2025-03-01 14:05:09 +0000", want},
		{"2025-03-01", utc(2025, 3, 1, 0, 0, 0)},
		{"2025-03", utc(2025, 3, 1, 0, 0, 0)},
		{"March 1, 2025", utc(2025, 3, 1, 0, 0, 0)},
		{"March 1st, 2025 at 2:05 PM", utc(2025, 3, 1, 14, 5, 0)},
		{"Sat Mar  1 14:05:09 2025", want},
		{"Sat Mar 1 09:05:09 EST 2025", want},
	}
	for _, tc := range tests {
		got, ok := parseDate(tc.in)
		if !ok || !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("parseDate(%q) = %v, %v; want %v UTC", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "   ", "yesterday", "32 Mar 2025", "2025-13-01", "Sat, 01 Foo 2025 14:05:09 +0000", "0"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v; want failure", bad, got)
		}
	}
}
