package subscriptions

// Match is one subscription a story satisfied.
type Match struct {
	SubID uint64
	Chat  Chat
	// Terms are the query terms that hit (normalised words, phrases with
	// single spaces, prefixes ending in "*"), for highlighting.
	Terms []string
	// InTitle lists the terms among Terms that hit the title.
	InTitle []string
}
