package schedule

import (
	"strings"
	"testing"
)

func TestParseQuiet(t *testing.T) {
	const hint = "type a range like 22:00-07:00, or off"
	tests := []struct {
		in      string
		want    Quiet
		wantErr string
	}{
		{in: "22:00-07:00", want: Quiet{Start: 1320, End: 420, On: true}},
		{in: "22-7", want: Quiet{Start: 1320, End: 420, On: true}},
		{in: " 22:30 - 6:45 ", want: Quiet{Start: 1350, End: 405, On: true}},
		{in: "22:00–07:00", want: Quiet{Start: 1320, End: 420, On: true}}, // en dash
		{in: "22:00—07:00", want: Quiet{Start: 1320, End: 420, On: true}}, // em dash
		{in: "13:00-14:00", want: Quiet{Start: 780, End: 840, On: true}},
		{in: "0-23:59", want: Quiet{Start: 0, End: 1439, On: true}},
		{in: "off", want: Quiet{}},
		{in: "OFF", want: Quiet{}},
		{in: "", wantErr: "quiet hours are missing: " + hint},
		{in: "  ", wantErr: "quiet hours are missing: " + hint},
		{in: "22:00", wantErr: `"22:00" is not a range of quiet hours: ` + hint},
		{in: "on", wantErr: `"on" is not a range of quiet hours: ` + hint},
		{in: "22:00-22:00", wantErr: `quiet hours "22:00-22:00" start and end at the same time: ` + hint},
		{in: "7-07:00", wantErr: `quiet hours "7-07:00" start and end at the same time: ` + hint},
		{in: "-07:00", wantErr: `quiet hours "-07:00" need a start and an end: ` + hint},
		{in: "22:00-", wantErr: `quiet hours "22:00-" need a start and an end: ` + hint},
		{in: "22:00-24:00", wantErr: `"24:00" in "22:00-24:00" is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off`},
		{in: "10pm-7am", wantErr: `"10pm" in "10pm-7am" is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off`},
		{in: "22:00-07:00-08:00", wantErr: `"07:00-08:00" in "22:00-07:00-08:00" is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off`},
		{in: "x\ny-z", wantErr: `"x\ny" in "x\ny-z" is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off`},
		{in: "\xff-7", wantErr: "\"\uFFFD\" in \"\uFFFD-7\" is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off"},
		{in: strings.Repeat("9", 60), wantErr: `"` + strings.Repeat("9", 48) + `…" is not a range of quiet hours: ` + hint},
	}
	for _, tt := range tests {
		got, err := ParseQuiet(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseQuiet(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			} else {
				checkUserError(t, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseQuiet(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			continue
		}
		if back, err := ParseQuiet(got.String()); err != nil || back != got {
			t.Errorf("ParseQuiet(%q) = %+v, %v; want %+v back", got.String(), back, err, got)
		}
	}
}

func TestQuietString(t *testing.T) {
	tests := []struct {
		q    Quiet
		want string
	}{
		{Quiet{}, "off"},
		{Quiet{Start: 1320, End: 420}, "off"},
		{Quiet{Start: 1320, End: 420, On: true}, "22:00-07:00"},
		{Quiet{Start: 0, End: 5, On: true}, "00:00-00:05"},
	}
	for _, tt := range tests {
		if got := tt.q.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestParseDigest(t *testing.T) {
	const hint = "type off, hourly, or daily HH:MM (like daily 08:00)"
	const dailyHint = "type daily HH:MM in 24-hour time, like daily 08:00"
	tests := []struct {
		in      string
		want    Digest
		wantErr string
	}{
		{in: "off", want: Digest{}},
		{in: "hourly", want: Digest{Mode: Hourly}},
		{in: " Hourly ", want: Digest{Mode: Hourly}},
		{in: "daily 08:00", want: Digest{Mode: Daily, At: 480}},
		{in: "daily 8", want: Digest{Mode: Daily, At: 480}},
		{in: "DAILY   18:45", want: Digest{Mode: Daily, At: 1125}},
		{in: "daily at 7:05", want: Digest{Mode: Daily, At: 425}},
		{in: "", wantErr: "digest setting is missing: " + hint},
		{in: "weekly", wantErr: `"weekly" is not a digest setting: ` + hint},
		{in: "hourly 5", wantErr: `"hourly 5" is not a digest setting: ` + hint},
		{in: "off now", wantErr: `"off now" is not a digest setting: ` + hint},
		{in: "daily", wantErr: "daily digest needs a time: " + dailyHint},
		{in: "daily at", wantErr: `"at" is not a time of day: ` + dailyHint},
		{in: "daily 25:00", wantErr: `"25:00" is not a time of day: ` + dailyHint},
		{in: "daily 8 pm", wantErr: `"8 pm" is not a time of day: ` + dailyHint},
		{in: "daily 8:00am", wantErr: `"8:00am" is not a time of day: ` + dailyHint},
	}
	for _, tt := range tests {
		got, err := ParseDigest(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDigest(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			} else {
				checkUserError(t, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDigest(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			continue
		}
		if back, err := ParseDigest(got.String()); err != nil || back != got {
			t.Errorf("ParseDigest(%q) = %+v, %v; want %+v back", got.String(), back, err, got)
		}
	}
}

func TestDigestString(t *testing.T) {
	tests := []struct {
		d    Digest
		want string
	}{
		{Digest{}, "off"},
		{Digest{Mode: Off, At: 480}, "off"},
		{Digest{Mode: Hourly, At: 480}, "hourly"},
		{Digest{Mode: Daily, At: 480}, "daily 08:00"},
		{Digest{Mode: Daily}, "daily 00:00"},
		{Digest{Mode: Mode(9), At: 480}, "off"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
	for m, want := range map[Mode]string{Off: "off", Hourly: "hourly", Daily: "daily", Mode(9): "Mode(9)"} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", uint8(m), got, want)
		}
	}
}
