package fingerprint

import "slices"

// Action classes: what happened to the people or things a headline names.
// Two headlines about the same entity whose actions fall in different
// classes are two events ("Artemis II crew named" vs "Artemis II delayed";
// "Yoon declares martial law" vs "Yoon impeached"; "Davie quits" vs "new
// director general chosen"). Words of one class are synonyms as outlets use
// them ("resigns", "quits", "steps down"), so rewrites of one event keep
// folding. Words that mean different things in different stories ("fires"
// a missile or a minister, "leaves" a job or rates unchanged) are in no
// class: a headline without a classified word never conflicts.
const (
	actAppoint    uint32 = 1 << iota // named, appointed, hired, elected, chosen
	actLeave                         // resigns, quits, steps down, ousted, sacked
	actDelay                         // delayed, postponed, scrubbed, cancelled
	actImpeach                       // impeached
	actDeclare                       // declares or imposes martial law or an emergency
	actVerdict                       // convicted, found guilty, acquitted
	actSentence                      // sentenced, jailed
	actSue                           // sues, lawsuit, legal action
	actSettle                        // settles, settlement
	actDeal                          // deal, pact, agreement, licensing
	actFine                          // fined, penalty
	actResult                        // wins, beats, loses, defeated (one match, either side)
	actNominate                      // nominations, shortlisted
	actLaunch                        // launches, lifts off, blasts off
	actDiagnose                      // diagnosed, diagnosis
	actRemission                     // remission, all-clear
	actArrest                        // arrest, warrant, detained
	actLandfall                      // makes landfall, comes ashore
	actStrengthen                    // strengthens, intensifies
	actReopen                        // reopens
	actPardon                        // pardons
	actWithdraw                      // drops out, withdraws
	actExplode                       // explodes, blows up
	actApologise                     // apologises, says sorry
)

// actionWords lists each class's words and two-word phrases (as they read
// after stop words are dropped: "steps down", "pushes back").
var actionWords = []struct {
	class uint32
	words []string
}{
	{actAppoint, []string{"appoint", "appoints", "appointed", "appointment", "name", "names", "named", "naming",
		"hire", "hires", "hired", "choose", "chooses", "chose", "chosen", "pick", "picks", "picked",
		"select", "selects", "selected", "replace", "replaces", "replaced",
		"successor", "succeed", "succeeds", "succeeded"}},
	{actLeave, []string{"resign", "resigns", "resigned", "resignation", "quit", "quits", "quitting",
		"step down", "steps down", "stepped down", "stepping down", "stand down", "stands down",
		"exit", "exits", "depart", "departs", "departure", "retire", "retires", "retired", "retirement",
		"oust", "ousts", "ousted", "sack", "sacks", "sacked", "dismiss", "dismisses", "dismissed",
		"topple", "topples", "toppled", "part ways"}},
	{actDelay, []string{"delay", "delays", "delayed", "postpone", "postpones", "postponed",
		"push back", "pushes back", "pushed back", "scrub", "scrubs", "scrubbed", "abort", "aborts",
		"aborted", "cancel", "cancels", "cancelled", "canceled", "defer", "defers", "deferred",
		"shelve", "shelves", "shelved", "puts off"}},
	// Unveiling presents people or things: a crew is named, a product
	// launched.
	{actAppoint | actLaunch, []string{"unveil", "unveils", "unveiled"}},
	{actImpeach, []string{"impeach", "impeaches", "impeached", "impeachment"}},
	{actDeclare, []string{"declare martial", "declares martial", "declare emergency", "declares emergency",
		"impose martial", "imposes martial"}},
	// An election is won: elected and wins agree ("Sheinbaum elected" vs
	// "Sheinbaum wins presidency"), and both differ from leaving office.
	{actAppoint | actResult, []string{"elect", "elects", "elected"}},
	{actVerdict, []string{"guilty", "convict", "convicts", "convicted", "conviction", "acquit", "acquits",
		"acquitted", "verdict"}},
	{actSentence, []string{"sentence", "sentences", "sentenced", "sentencing", "jail", "jails", "jailed"}},
	{actSue, []string{"sue", "sues", "sued", "suing", "lawsuit", "legal action"}},
	{actSettle, []string{"settle", "settles", "settled", "settlement"}},
	{actDeal, []string{"deal", "deals", "pact", "agreement", "licensing", "license", "licence"}},
	{actFine, []string{"fine", "fines", "fined", "penalty", "penalties"}},
	{actResult, []string{"win", "wins", "won", "winning", "beat", "beats", "beaten", "defeat", "defeats",
		"defeated", "lose", "loses", "lost", "victory", "thrash", "thrashes", "clinch", "clinches"}},
	{actNominate, []string{"nomination", "nominations", "nominee", "nominees", "shortlist", "shortlisted"}},
	{actLaunch, []string{"launch", "launches", "launched", "lift off", "lifts off", "blast off", "blasts off",
		"liftoff"}},
	{actDiagnose, []string{"diagnosis", "diagnosed"}},
	{actRemission, []string{"remission"}},
	{actArrest, []string{"arrest", "arrests", "arrested", "warrant", "warrants", "detain", "detains", "detained"}},
	{actLandfall, []string{"landfall", "ashore"}},
	{actStrengthen, []string{"strengthen", "strengthens", "strengthened", "intensify", "intensifies",
		"intensified"}},
	{actReopen, []string{"reopen", "reopens", "reopened", "reopening"}},
	{actPardon, []string{"pardon", "pardons", "pardoned"}},
	{actWithdraw, []string{"withdraw", "withdraws", "withdrew", "drop out", "drops out"}},
	{actApologise, []string{"apologise", "apologises", "apologised", "apologize", "apologizes", "apologized",
		"apology", "sorry"}},
	{actExplode, []string{"explode", "explodes", "exploded", "explosion", "blow up", "blows up"}},
}

// actionKey is one entry of an actionTable: a headline word (second == 0)
// or two consecutive headline words, as term hashes.
type actionKey struct{ first, second uint32 }

// actionTable maps headline words and phrases to their action classes.
type actionTable map[actionKey]uint32

// newActionTable builds the table from actionWords, hashing words as
// headline words are hashed (stemmed terms).
func newActionTable() actionTable {
	t := actionTable{}
	for _, c := range actionWords {
		for _, w := range c.words {
			var k actionKey
			for i, part := range splitPhrase(w) {
				h := hashTerm(stem(part))
				if i == 0 {
					k.first = h
				} else {
					k.second = h
				}
			}
			t[k] |= c.class
		}
	}
	return t
}

// splitPhrase splits a one- or two-word phrase at its space.
func splitPhrase(w string) []string {
	for i := range w {
		if w[i] == ' ' {
			return []string{w[:i], w[i+1:]}
		}
	}
	return []string{w}
}

// actionsTable is read only after package initialisation.
var actionsTable = newActionTable()

// actions returns the action classes of f's headline. A delay or
// cancellation overrides the rest ("SpaceX scrubs Starship launch" is a
// delay, not a launch).
func (f *Fingerprint) actions() uint32 {
	cls := f.classes(actionsTable)
	if cls&actDelay != 0 {
		return actDelay
	}
	return cls
}

// actionsConflict reports whether both headlines say what happened in
// words of an action class and share no class: the same entity in two
// events.
func actionsConflict(a, b *Fingerprint) bool {
	x, y := a.actions(), b.actions()
	return x != 0 && y != 0 && x&y == 0
}

// agreeWords are groups of headline words that tell one event in different
// outlets' words ("Fed cuts rates" / "Fed lowers borrowing costs"; "quake"
// / "earthquake"; "dies" / "killed"). They only count as agreement between
// two headlines (headlinesDisagree); unlike the action classes they never
// tell two events apart.
var agreeWords = [][]string{
	{"quake", "quakes", "earthquake", "earthquakes", "tremor", "tremors", "magnitude"},
	{"die", "dies", "died", "dead", "death", "kill", "kills", "killed", "assassinate", "assassinated",
		"assassination"},
	{"hospital", "hospitalised", "hospitalized", "admitted"},
	{"leave", "leaves", "leaving", "resign", "resigns", "quit", "quits", "step down", "steps down", "exit",
		"exits", "oust", "ousted", "fire", "fires", "fired", "sack", "sacked", "push out", "pushes out"},
	{"meet", "meets", "met", "host", "hosts", "hosted", "talks", "visit", "visits", "arrive", "arrives",
		"welcome", "welcomes"},
	{"jail", "jails", "jailed", "sentence", "sentenced", "term"},
	{"buy", "buys", "bought", "acquire", "acquires", "acquired", "acquisition", "takeover"},
	{"ban", "bans", "banned", "block", "blocks", "blocked", "bar", "bars", "barred"},
	{"layoff", "layoffs", "shed", "sheds", "job", "jobs", "staff", "workforce"},
	{"open", "opens", "reopen", "reopens", "reopening"},
	{"top", "tops", "topped", "break", "breaks", "pass", "passes", "surpass", "surpasses", "smash", "smashes"},
	{"launch", "launches", "launched", "blast", "blasts", "liftoff"},
	{"sue", "sues", "sued", "lawsuit", "court"},
}

// agreeTable maps the words of agreeWords to their groups, as bits.
func newAgreeTable() actionTable {
	t := actionTable{}
	for i, g := range agreeWords {
		for _, w := range g {
			var k actionKey
			for j, part := range splitPhrase(w) {
				h := hashTerm(stem(part))
				if j == 0 {
					k.first = h
				} else {
					k.second = h
				}
			}
			t[k] |= 1 << i
		}
	}
	return t
}

// agreeGroups is read only after package initialisation.
var agreeGroups = newAgreeTable()

// classes returns the bits of table that f's headline words and two-word
// phrases have.
func (f *Fingerprint) classes(table actionTable) uint32 {
	ws := f.ev.words[:f.ev.nwords]
	var cls uint32
	for i, h := range ws {
		cls |= table[actionKey{first: h}]
		if i+1 < len(ws) {
			cls |= table[actionKey{first: h, second: ws[i+1]}]
		}
	}
	return cls
}

// headlinesDisagree reports whether the two headlines share no word of
// what happened: no headline word other than names, offices and numbers
// of one is a headline word of the other, no action class or agreement
// group is common to both, and their verbs do not go the same way. Two
// outlets telling one event mostly reuse a word of what happened ("Fed
// cuts rates" / "Fed delivers rate cut") or a synonym ("Davie resigns" /
// "Davie quits"); two events of one entity mostly do not ("OpenAI board
// pushes out Altman" / "Altman returns as OpenAI CEO").
func headlinesDisagree(a, b *Fingerprint) bool {
	if a.actions()&b.actions() != 0 || a.classes(agreeGroups)&b.classes(agreeGroups) != 0 ||
		a.ev.polarity&b.ev.polarity != 0 {
		return false
	}
	wa, wb := a.ev.words[:a.ev.nwords], b.ev.words[:b.ev.nwords]
	for _, h := range a.ev.heads[:a.ev.nheads] {
		if slices.Contains(wb, h) {
			return false
		}
	}
	for _, h := range b.ev.heads[:b.ev.nheads] {
		if slices.Contains(wa, h) {
			return false
		}
	}
	return true
}
