package fingerprint

import (
	"encoding/json"
	"strings"
	"testing"
)

func tokensOf(s string) []string {
	var out []string
	eachToken(s, func(tok string, capital bool) {
		if capital {
			tok = "^" + tok
		}
		out = append(out, tok)
	})
	return out
}

func TestEachToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Russia strikes Kharkiv", "^russia strik ^kharkiv"},
		{"North Korea's Kim pledges 'firm support'", "^north ^korea ^kim pledg firm support"},
		{"raise raised raises raising", "rais rais rais rais"},
		{"cutting cuts cut; stopped stops", "cut cut cut stop stop"},
		{"countries taxes watches kills passes", "country tax watch kill pass"},
		{"Apple hit with €1.8bn EU fine", "^appl hit ^1.8 billion ^eu fin"},
		{"$35 billion deal; 1,000 jobs and 3.5% growth", "^35 billion deal ^1000 job ^3.5 percent growth"},
		{"Zürich and Zurich, São Paulo", "^zurich ^zurich ^sao ^paulo"},
		{"The talks were held in the city", "talk held city"},
		{"Ｆｕｌｌ-width ２０２４", "^full width ^2024"},
		{"日本銀行が利上げ", "日本 本銀 銀行 行が が利 利上 上げ"},
		{"В Москве прошёл парад", "^москве прошел парад"},
		{"", ""},
		{"!!! ... ???", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(tokensOf(tt.in), " "); got != tt.want {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsTitleCase(t *testing.T) {
	tests := map[string]bool{
		"North Korean Leader Kim Jong Un Expresses Support for Russia on Victory Day": true,
		"Kim Jong Un backs Russia in Victory Day message to Putin":                    false,
		"Fed Holds Rates":                         false, // too few long words to tell
		"Apple Unveils New iPad Pro With M4 Chip": true,
	}
	for in, want := range tests {
		if got := isTitleCase(in); got != want {
			t.Errorf("isTitleCase(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestOfStable(t *testing.T) {
	// A fixed fingerprint guards against accidental changes to hashing or
	// normalisation, which would orphan every fingerprint stored in Redis.
	f := Of("Kim Jong Un backs Russia in Victory Day message to Putin",
		"North Korean leader Kim Jong Un sent Vladimir Putin a congratulatory message.")
	const want = "v2.14d5d7770438ed5bd50647d7f269055bb421a2036261af7f02688f0a290273f7c63c0a8039eef10ab0d588e402c013ef0104d0117e5d0adaef930404fdfca02c06...73f7c63c8039eef1829a4c889950aac5d0117e5d.2d913c03511fa9f461433a5a7129f9f573f7c63c8039eef1829a4c889950aac5d0117e5ddaef9304e220c5a9.47d7f2695bb421a2.73f7c63cd0117e5d5bb421a2fdfca02c38ed5bd547d7f2698039eef1.00"
	if got := f.String(); got != want {
		t.Errorf("Of(...).String() =\n%s\nwant\n%s", got, want)
	}
	if g := Of("Kim Jong Un backs Russia in Victory Day message to Putin",
		"North Korean leader Kim Jong Un sent Vladimir Putin a congratulatory message."); g != f {
		t.Error("Of is not deterministic")
	}
}

func TestSimilarity(t *testing.T) {
	a := Of("Magnitude 7.4 earthquake hits Taiwan, killing at least nine", "A powerful earthquake of magnitude 7.4 struck Taiwan's east coast on Wednesday, killing at least nine people.")
	b := Of("Taiwan hit by magnitude 7.4 earthquake, at least nine killed", "At least nine people were killed after a powerful magnitude 7.4 earthquake struck Taiwan's east coast on Wednesday.")
	c := Of("Real Madrid beat Dortmund to win 15th Champions League", "Real Madrid won a record-extending 15th European Cup at Wembley.")
	var zero Fingerprint
	if d := Distance(a, a); d != 0 {
		t.Errorf("Distance(a, a) = %d, want 0", d)
	}
	if Distance(a, b) != Distance(b, a) {
		t.Error("Distance is not symmetric")
	}
	if !Similar(a, b, DefaultThreshold) {
		t.Errorf("two reports of the Taiwan quake not similar: distance %d", Distance(a, b))
	}
	if Similar(a, c, DefaultThreshold) || Distance(a, c) != 100 {
		t.Errorf("quake and football similar: distance %d", Distance(a, c))
	}
	if Similar(zero, zero, 100) || Distance(zero, a) != 100 || !zero.IsZero() || a.IsZero() {
		t.Error("zero fingerprint must be similar to nothing")
	}
	if got := Of("", ""); !got.IsZero() {
		t.Errorf("Of empty = %v, want zero", got)
	}
	if got := Of("The", "and of the"); !got.IsZero() {
		t.Errorf("Of stop words only = %v, want zero", got)
	}
}

func TestOfKeepsHeaviestTerms(t *testing.T) {
	lead := strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega ", 2)
	f := Of("Zelensky meets Biden", lead)
	if f.n != MaxTerms {
		t.Fatalf("fingerprint has %d terms, want %d", f.n, MaxTerms)
	}
	// Names in the headline weigh most and must survive the cut.
	g := Of("Zelensky Biden", "")
	for _, k := range g.Keys() {
		if !strings.Contains(strings.Join(f.Keys(), ","), k) {
			t.Errorf("headline key %s lost: keys %v", k, f.Keys())
		}
	}
	if len(f.Keys()) != KeyTerms {
		t.Errorf("Keys() = %d keys, want %d", len(f.Keys()), KeyTerms)
	}
}

func TestStringParse(t *testing.T) {
	for _, f := range []Fingerprint{
		{},
		Of("Fed holds rates steady", "The Federal Reserve left interest rates unchanged at 5.25%-5.5% on Wednesday."),
		Of("日本銀行が利上げ", "日本銀行は十七年ぶりにマイナス金利政策を解除した。"),
	} {
		s := f.String()
		g, err := Parse(s)
		if err != nil || g != f {
			t.Errorf("Parse(%q) = %v, %v; want round trip", s, g, err)
		}
		text, _ := json.Marshal(struct{ F Fingerprint }{f})
		var back struct{ F Fingerprint }
		if err := json.Unmarshal(text, &back); err != nil || back.F != f {
			t.Errorf("JSON round trip of %s: %v", text, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []string{
		"",
		"0c2d4a3a06",
		"v2.0c2d4a3a06",
		"v1.0c2d4a3a0",
		"v1.0c2d4a3a0g",
		"v1.0c2d4a3a00",                         // zero weight
		"v1.0e6dc217060c2d4a3a06",               // hashes out of order
		"v1.0c2d4a3a060c2d4a3a06",               // duplicate hash
		"v1." + strings.Repeat("0", 250),        // too many terms
		"v1." + strings.Repeat("ab", 125),       // too many terms, odd length
		"v2.0c2d4a3a06.....00",                  // a signature part missing
		"v2.0c2d4a3a06.0000000200000001.....00", // headline numbers out of order
		"v2.0c2d4a3a06......08",                 // unknown verb class
		"v2.0c2d4a3a06.....0000000100000001.00", // headline word repeated
		"v2.0c2d4a3a06.0000001.....00",          // short hash
	}
	for _, s := range tests {
		if f, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %v, want error", s, f)
		}
	}
}

func BenchmarkOf(b *testing.B) {
	title := "Kim Jong Un backs Russia in Victory Day message to Putin"
	lead := "North Korean leader Kim Jong Un sent Vladimir Putin a congratulatory message on Victory Day, expressing firm support and solidarity with Russia, state media KCNA reported on Thursday."
	b.ReportAllocs()
	for b.Loop() {
		Of(title, lead)
	}
}

// BenchmarkScan50k compares one story with a 48-hour window of 50,000
// stored fingerprints, the worst case when candidates are not looked up by
// key.
func BenchmarkScan50k(b *testing.B) {
	pairs := loadPairs(b)
	window := make([]Fingerprint, 50_000)
	for i := range window {
		p := pairs[i%len(pairs)]
		window[i] = Of(p.titleA, p.leadA+" "+p.titleB)
	}
	probe := Of(pairs[0].titleB, pairs[0].leadB)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, f := range window {
			if Similar(probe, f, DefaultThreshold) {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no match in window")
		}
	}
}

func FuzzOf(f *testing.F) {
	f.Add("Fed holds rates", "The Federal Reserve left rates at 5.25%.")
	f.Add("", "")
	f.Add("日本", "$1.8bn 1,000.5.5 Zürich's ١٢٣")
	f.Fuzz(func(t *testing.T, title, lead string) {
		fp := Of(title, lead)
		back, err := Parse(fp.String())
		if err != nil || back != fp {
			t.Fatalf("round trip of Of(%q, %q): %v", title, lead, err)
		}
		if !fp.IsZero() && Distance(fp, fp) != 0 {
			t.Fatalf("Distance(f, f) = %d", Distance(fp, fp))
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("v1.0c2d4a3a060e6dc21717")
	f.Add("v1.")
	f.Add("v1.zz")
	f.Add(Of("Fed holds rates at 5.25% on Wednesday", "The Federal Reserve left rates unchanged at 5.25%.").String())
	f.Add("v2.0c2d4a3a06......00")
	f.Fuzz(func(t *testing.T, s string) {
		fp, err := Parse(s)
		if err == nil && fp.String() != s {
			t.Fatalf("Parse(%q) accepted a non-canonical form (String %q)", s, fp.String())
		}
	})
}
