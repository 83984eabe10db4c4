package fingerprint

import "testing"

// TestSameEventRules checks the examples: rewrites of one event
// fold; what distinguishes events blocks a fold whatever the shared words.
func TestSameEventRules(t *testing.T) {
	type story struct{ title, lead string }
	tests := []struct {
		name   string
		a, b   story
		folds  bool
		differ string // Differ's reason, when it must give one
	}{
		{"rewrite of a rate cut",
			story{"Fed delivers half-point interest rate cut", "The Federal Reserve cut interest rates by half a percentage point on Wednesday, its first reduction since 2020, as inflation cooled."},
			story{"Federal Reserve cuts interest rates by half a point", "The US Federal Reserve lowered its benchmark interest rate by half a percentage point on Wednesday, the first cut since 2020, citing cooling inflation."},
			true, ""},
		{"war day 1,012 vs 1,013",
			story{"Russia-Ukraine war: list of key events, day 1,012", "Here is the situation on day 1,012 of Russia's full-scale invasion of Ukraine."},
			story{"Russia-Ukraine war: list of key events, day 1,013", "Here is the situation on day 1,013 of Russia's full-scale invasion of Ukraine."},
			false, "numbers"},
		{"magnitude 5.2 vs 6.4",
			story{"Magnitude 5.2 earthquake strikes Japan", "An earthquake of magnitude 5.2 struck off the coast of Fukushima, Japan, the Japan Meteorological Agency said."},
			story{"Magnitude 6.4 earthquake strikes Japan", "An earthquake of magnitude 6.4 struck off the coast of Fukushima, Japan, the Japan Meteorological Agency said."},
			false, "numbers"},
		{"score 2-1 vs 3-0",
			story{"Arsenal 2-1 Chelsea: Saka double seals win", "Bukayo Saka scored twice as Arsenal beat Chelsea at the Emirates Stadium in the Premier League."},
			story{"Arsenal 3-0 Chelsea: Saka double seals win", "Bukayo Saka scored twice as Arsenal beat Chelsea at the Emirates Stadium in the Premier League."},
			false, "numbers"},
		{"$100,000 vs $90,000",
			story{"Bitcoin crosses $100,000 as crypto rally continues", "Bitcoin crossed $100,000 on Thursday as the cryptocurrency rally continued on hopes of friendlier regulation."},
			story{"Bitcoin crosses $90,000 as crypto rally continues", "Bitcoin crossed $90,000 on Thursday as the cryptocurrency rally continued on hopes of friendlier regulation."},
			false, "numbers"},
		{"live page Monday vs Tuesday",
			story{"Live: Israel-Gaza war updates, Monday", "Follow our live coverage of the Israel-Gaza war on Monday, with the latest from Gaza, Israel and the region."},
			story{"Live: Israel-Gaza war updates, Tuesday", "Follow our live coverage of the Israel-Gaza war on Tuesday, with the latest from Gaza, Israel and the region."},
			false, "numbers"},
		{"same person declares vs impeached",
			story{"South Korea's Yoon declares emergency martial law", "South Korean President Yoon Suk Yeol declared emergency martial law in a late-night televised address, accusing the opposition of anti-state activities."},
			story{"South Korea's Yoon impeached by parliament", "South Korea's National Assembly voted to impeach President Yoon Suk Yeol over his short-lived declaration of emergency martial law in a televised address."},
			false, ""},
		{"same organisation resigns vs chosen",
			story{"Tim Davie quits as head of the BBC", "The BBC's director general Tim Davie has stepped down, the broadcaster announced, saying he would stay on for a handover period."},
			story{"New BBC director general chosen to replace Tim Davie", "A successor to Tim Davie has been chosen to lead the BBC as director general, the broadcaster announced."},
			false, "action class"},
		{"resigns vs quits is one event",
			story{"BBC director general Tim Davie resigns", "Tim Davie has resigned as director general of the BBC after five years in the job, the corporation said in a statement on Sunday evening."},
			story{"Tim Davie quits as head of the BBC", "The BBC's director general Tim Davie has stepped down, the broadcaster announced, saying he would stay on for a handover period."},
			true, ""},
		{"Leeds vs Bristol",
			story{"Met Office issues amber warning for snow in Leeds", "The Met Office has issued an amber weather warning for heavy snow in Leeds from Tuesday evening, with 15cm expected on higher ground."},
			story{"Met Office issues amber warning for snow in Bristol", "The Met Office has issued an amber weather warning for heavy snow in Bristol from Tuesday evening, with 15cm expected on higher ground."},
			false, "names"},
		{"Xi meets Putin vs Xi meets Macron",
			story{"Xi meets Putin in Moscow for talks on trade", "Xi Jinping met Vladimir Putin in Moscow on Thursday for talks on trade, security and the war in Ukraine."},
			story{"Xi meets Macron in Moscow for talks on trade", "Xi Jinping met Emmanuel Macron in Moscow on Thursday for talks on trade, security and the war in Ukraine."},
			false, "names"},
		{"rises vs falls",
			story{"FTSE 100 rises as mining shares rally on China hopes", "London's FTSE 100 index moved on Tuesday as mining shares reacted to hopes of Chinese stimulus, traders said."},
			story{"FTSE 100 falls as mining shares slide on China hopes", "London's FTSE 100 index moved on Tuesday as mining shares reacted to hopes of Chinese stimulus, traders said."},
			false, "verbs"},
		{"holds vs cuts",
			story{"Bank of England holds interest rates as inflation eases", "The Bank of England announced its interest rate decision on Thursday as inflation eased towards its target, economists said."},
			story{"Bank of England cuts interest rates as inflation eases", "The Bank of England announced its interest rate decision on Thursday as inflation eased towards its target, economists said."},
			false, "verbs"},
		{"nominees vs winners",
			story{"Grammys 2025: full list of nominees", "The full list for the 67th Grammy Awards ceremony in Los Angeles, category by category."},
			story{"Grammys 2025: full list of winners", "The full list for the 67th Grammy Awards ceremony in Los Angeles, category by category."},
			false, "slot"},
		{"same people, another event",
			story{"King Charles diagnosed with cancer", "Buckingham Palace said on Monday that King Charles has been diagnosed with a form of cancer and has begun treatment."},
			story{"King Charles opens parliament with King's Speech", "King Charles set out the government's plans in the King's Speech at the state opening of parliament on Wednesday."},
			false, "actions"},
		{"too few words",
			story{"Ukraine burst story 1 of 4", "Ukraine burst story."},
			story{"Ukraine burst story 1 of 4", "Ukraine burst story."},
			false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Of(tt.a.title, tt.a.lead), Of(tt.b.title, tt.b.lead)
			if got := Similar(a, b, DefaultThreshold); got != tt.folds {
				t.Errorf("Similar = %v, want %v (distance %d, differ %q)", got, tt.folds, Distance(a, b), Differ(a, b))
			}
			if tt.differ != "" && Differ(a, b) != tt.differ {
				t.Errorf("Differ = %q, want %q", Differ(a, b), tt.differ)
			}
			if Similar(a, b, DefaultThreshold) != Similar(b, a, DefaultThreshold) || Differ(a, b) != Differ(b, a) {
				t.Error("not symmetric")
			}
		})
	}
}

// TestParseV1 keeps fingerprints stored by the earlier version readable:
// they round-trip and, lacking the event signature, fold with nothing.
func TestParseV1(t *testing.T) {
	const v1 = "v1.14d5d7770438ed5bd50647d7f269055bb421a2036261af7f02688f0a290273f7c63c0a8039eef10ab0d588e402c013ef0104d0117e5d0adaef930404fdfca02c06"
	f, err := Parse(v1)
	if err != nil || f.String() != v1 {
		t.Fatalf("Parse(v1) = %v, %v", f, err)
	}
	if Similar(f, f, 100) {
		t.Error("a v1 fingerprint folds")
	}
}
