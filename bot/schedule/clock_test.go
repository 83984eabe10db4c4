package schedule

import "testing"

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    Clock
		wantErr string
	}{
		{in: "07:30", want: 450},
		{in: "7:30", want: 450},
		{in: "7", want: 420},
		{in: "07", want: 420},
		{in: "0", want: 0},
		{in: "00:00", want: 0},
		{in: "23:59", want: 1439},
		{in: "24:00", wantErr: `"24:00" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "7:5", wantErr: `"7:5" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "12:60", wantErr: `"12:60" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "007:00", wantErr: `"007:00" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "7am", wantErr: `"7am" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "-1", wantErr: `"-1" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "", wantErr: `"" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
		{in: "٠٧:٣٠", wantErr: `"٠٧:٣٠" is not a time of day: type it as HH:MM in 24-hour time, like 07:30`},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseClock(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			} else {
				checkUserError(t, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestClockString(t *testing.T) {
	tests := []struct {
		c    Clock
		want string
	}{
		{0, "00:00"}, {450, "07:30"}, {1439, "23:59"},
		{1440, "00:00"}, {-1, "23:59"}, {NewClock(22, 5), "22:05"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("Clock(%d).String() = %q, want %q", int(tt.c), got, tt.want)
		}
	}
	if Clock(1440).Valid() || Clock(-1).Valid() || !Clock(0).Valid() || !Clock(1439).Valid() {
		t.Error("Valid disagrees with [0, 1440)")
	}
}
