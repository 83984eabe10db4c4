package fetch

import (
	"testing"
	"time"
)

var headerNow = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero", "0", 0},
		{"spaces", "  30 ", 30 * time.Second},
		{"leading zeros", "0007", 7 * time.Second},
		{"capped", "999999", MaxHint},
		{"overflow", "99999999999999999999999999", MaxHint},
		{"negative", "-5", 0},
		{"fraction", "1.5", 0},
		{"garbage", "soon", 0},
		{"imf date", "Fri, 14 Mar 2025 09:28:53 GMT", 2 * time.Minute},
		{"rfc850 date", "Friday, 14-Mar-25 09:36:53 GMT", 10 * time.Minute},
		{"asctime date", "Fri Mar 14 10:26:53 2025", time.Hour},
		{"past date", "Fri, 14 Mar 2025 09:00:00 GMT", 0},
		{"now", "Fri, 14 Mar 2025 09:26:53 GMT", 0},
		{"far future date", "Fri, 14 Mar 2036 09:26:53 GMT", MaxHint},
		{"date with wrong zone", "Fri, 14 Mar 2025 09:28:53 PST", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.value, headerNow); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestParseRetryAfterRoundsUp(t *testing.T) {
	now := headerNow.Add(300 * time.Millisecond)
	if got, want := parseRetryAfter("Fri, 14 Mar 2025 09:26:55 GMT", now), 2*time.Second; got != want {
		t.Errorf("parseRetryAfter with sub-second clock = %v, want %v", got, want)
	}
}

func TestParseMaxAge(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"max-age=300", 5 * time.Minute},
		{"public, max-age=600", 10 * time.Minute},
		{"MAX-AGE=60", time.Minute},
		{" max-age = 60 ", time.Minute},
		{`max-age="90"`, 90 * time.Second},
		{"max-age=0", 0},
		{"max-age=60, no-cache", 0},
		{"no-store, max-age=60", 0},
		{"private, max-age=120, must-revalidate", 2 * time.Minute},
		{"s-maxage=600", 0},
		{"s-maxage=600, max-age=60", time.Minute},
		{"max-age=60, max-age=600", time.Minute},
		{"max-age=abc", 0},
		{"max-age=-1", 0},
		{"max-age=", 0},
		{"max-age", 0},
		{"max-age=31536000", MaxHint},
		{`community="max-age=1,2", max-age=30`, 30 * time.Second},
		{`ext="a\"b,c", max-age=30`, 30 * time.Second},
		{`no-cache="Set-Cookie"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			if got := parseMaxAge(tt.value); got != tt.want {
				t.Errorf("parseMaxAge(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "Fri, 14 Mar 2025 09:28:53 GMT", "Fri Mar 14 10:26:53 2025",
		"-1", "1e9", "99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := parseRetryAfter(v, headerNow)
		if d < 0 || d > MaxHint {
			t.Fatalf("parseRetryAfter(%q) = %v, outside [0, %v]", v, d, MaxHint)
		}
	})
}

func FuzzParseMaxAge(f *testing.F) {
	for _, s := range []string{"max-age=300", "no-cache", `a="b,c", max-age=1`, `"unterminated, max-age=5`,
		"max-age=99999999999999999999", `\`, ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := parseMaxAge(v)
		if d < 0 || d > MaxHint {
			t.Fatalf("parseMaxAge(%q) = %v, outside [0, %v]", v, d, MaxHint)
		}
	})
}
