package schedule

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTimezone(t *testing.T) {
	// Offsets are checked at two instants, winter and summer in the north.
	jan := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	jul := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in       string
		wantName string
		janOff   string // offset in January, as -0700
		julOff   string
	}{
		{"Europe/Berlin", "Europe/Berlin", "+0100", "+0200"},
		{"europe/berlin", "Europe/Berlin", "+0100", "+0200"},
		{"  EUROPE/BERLIN ", "Europe/Berlin", "+0100", "+0200"},
		{"America/New York", "America/New_York", "-0500", "-0400"},
		{"america/port-au-prince", "America/Port-au-Prince", "-0500", "-0400"},
		{"Asia/Kolkata", "Asia/Kolkata", "+0530", "+0530"},
		{"asia/calcutta", "Asia/Calcutta", "+0530", "+0530"},
		{"Australia/Lord_Howe", "Australia/Lord_Howe", "+1100", "+1030"},
		{"Pacific/Chatham", "Pacific/Chatham", "+1345", "+1245"},
		{"us/eastern", "US/Eastern", "-0500", "-0400"},
		{"Etc/GMT-3", "Etc/GMT-3", "+0300", "+0300"},
		{"GMT", "GMT", "+0000", "+0000"},
		{"UTC", "UTC", "+0000", "+0000"},
		{"utc", "UTC", "+0000", "+0000"},
		{"Etc/UTC", "Etc/UTC", "+0000", "+0000"},
		{"UTC+2", "UTC+2", "+0200", "+0200"},
		{"utc + 2", "UTC+2", "+0200", "+0200"},
		{"GMT+2", "UTC+2", "+0200", "+0200"},
		{"UTC-03:00", "UTC-3", "-0300", "-0300"},
		{"+05:30", "UTC+5:30", "+0530", "+0530"},
		{"+0545", "UTC+5:45", "+0545", "+0545"},
		{"UTC\u22129:30", "UTC-9:30", "-0930", "-0930"},
		{"-12", "UTC-12", "-1200", "-1200"},
		{"UTC+14:00", "UTC+14", "+1400", "+1400"},
		{"UTC+0", "UTC", "+0000", "+0000"},
		{"-00:00", "UTC", "+0000", "+0000"},
	}
	for _, tt := range tests {
		loc, err := ParseTimezone(tt.in)
		if err != nil {
			t.Errorf("ParseTimezone(%q): %v", tt.in, err)
			continue
		}
		if loc.String() != tt.wantName {
			t.Errorf("ParseTimezone(%q) = %q, want %q", tt.in, loc.String(), tt.wantName)
		}
		if got := jan.In(loc).Format("-0700"); got != tt.janOff {
			t.Errorf("ParseTimezone(%q) January offset = %s, want %s", tt.in, got, tt.janOff)
		}
		if got := jul.In(loc).Format("-0700"); got != tt.julOff {
			t.Errorf("ParseTimezone(%q) July offset = %s, want %s", tt.in, got, tt.julOff)
		}
		back, err := ParseTimezone(loc.String())
		if err != nil || back.String() != loc.String() {
			t.Errorf("ParseTimezone(%q) = %v, %v; want %q back", loc.String(), back, err, loc.String())
		}
	}
}

func TestParseTimezoneErrors(t *testing.T) {
	const hint = "type a name like Europe/Berlin or an offset like UTC+2"
	tests := []struct {
		in   string
		want string
	}{
		{"", "time zone is missing: " + hint},
		{" \t", "time zone is missing: " + hint},
		{"Local", `"Local" is the server's time zone, not yours: ` + hint},
		{"LOCAL", `"LOCAL" is the server's time zone, not yours: ` + hint},
		{"Europe/Berln", `unknown time zone "Europe/Berln": ` + hint},
		{"Berlin", `unknown time zone "Berlin": type Europe/Berlin`},
		{"new york", `unknown time zone "new york": type America/New_York`},
		{"istanbul", `unknown time zone "istanbul": type one of Asia/Istanbul, Europe/Istanbul`},
		{"Factory", `unknown time zone "Factory": ` + hint},
		{"../../etc/passwd", `unknown time zone "../../etc/passwd": ` + hint},
		{"/usr/share/zoneinfo/UTC", `unknown time zone "/usr/share/zoneinfo/UTC": ` + hint},
		{"zone.tab", `unknown time zone "zone.tab": ` + hint},
		{"CEST", `unknown time zone "CEST": ` + hint},
		{"UTC+15", `offset "UTC+15" is out of range: type an offset from UTC-12 to UTC+14, like UTC+2`},
		{"-12:30", `offset "-12:30" is out of range: type an offset from UTC-12 to UTC+14, like UTC+2`},
		{"UTC+5:75", `offset "UTC+5:75" is not valid: type an offset like UTC+2 or UTC+05:30`},
		{"UTC+5:3", `offset "UTC+5:3" is not valid: type an offset like UTC+2 or UTC+05:30`},
		{"+123", `offset "+123" is not valid: type an offset like UTC+2 or UTC+05:30`},
		{"UTC+", `offset "UTC+" is not valid: type an offset like UTC+2 or UTC+05:30`},
		{"GMT+two", `offset "GMT+two" is not valid: type an offset like UTC+2 or UTC+05:30`},
		{"Europe/Berlin\n/start", `unknown time zone "Europe/Berlin\n/start": ` + hint},
	}
	for _, tt := range tests {
		loc, err := ParseTimezone(tt.in)
		if err == nil {
			t.Errorf("ParseTimezone(%q) = %v, want error %q", tt.in, loc, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseTimezone(%q) error = %q, want %q", tt.in, err.Error(), tt.want)
		}
		checkUserError(t, err)
	}
}

// TestZoneList checks the generated name list: sorted, unique, and every
// name loads (from the system's database when there is one, else from the
// copy time/tzdata embeds).
func TestZoneList(t *testing.T) {
	names := strings.Fields(zoneNames)
	if len(names) != zoneCount {
		t.Fatalf("zoneNames has %d names, zoneCount says %d", len(names), zoneCount)
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("zoneNames is not sorted and unique; run go generate")
	}
	for _, want := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"} {
		if _, found := slices.BinarySearch(names, want); !found {
			t.Errorf("zoneNames lacks %s", want)
		}
	}
	for _, name := range names {
		loc, err := ParseTimezone(name)
		if err != nil {
			t.Errorf("ParseTimezone(%q): %v", name, err)
			continue
		}
		if _, isOffset, _ := parseOffset(name); isOffset {
			// GMT+0 and GMT-0 read as offsets, which name UTC.
			if loc != time.UTC {
				t.Errorf("ParseTimezone(%q) = %q, want UTC", name, loc)
			}
			continue
		}
		if loc.String() != name {
			t.Errorf("ParseTimezone(%q) named %q", name, loc.String())
		}
	}
}
