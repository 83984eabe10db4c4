package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// ItemKey returns the key of it computed from the item alone: its GUID's
// key, else its link's, else its title-and-date hash. It is the key
// AssignKeys gives an item whose GUID (or, lacking a usable GUID, link) is
// unique within its feed.
func ItemKey(it Item) string {
	if g := guidIdentity(it.GUID); g != "" {
		return makeKey('g', g)
	}
	if l := linkIdentity(it.Link); l != "" {
		return makeKey('l', l)
	}
	return makeKey('h', contentIdentity(it))
}

// AssignKeys sets Key on every item of one feed.
//
// A key is a one-letter tier, a colon and 16 hex digits of SHA-256 over the
// item's identity string, e.g. "g:3f9c0a7be21d4c55". Keys depend only on the
// items' content, never on their order, the process or the time, so they
// are stable across fetches, processes and versions of this package. The
// tiers:
//
//	g:  the GUID (RSS guid, RSS 1.0 rdf:about, Atom id, JSON Feed id).
//	    URL-shaped GUIDs go through NormalizeURL, so a publisher moving
//	    from http to https, or adding utm_ parameters, does not change the
//	    key.
//	l:  the normalised link, when the GUID is absent or does not identify
//	    the item.
//	h:  a hash of the normalised link and title when items with different
//	    titles share a link, else of title and publication date (and the
//	    content, when there is no title).
//
// A GUID does not identify an item when it is empty, a placeholder ("null",
// "0", ...), the bare site root ("https://example.com/"), or shared within
// the list by items with different raw GUIDs or different links (feeds that
// give every item the same guid; live-blog GUIDs that differ only in their
// fragment). Items that share a raw GUID and a link are the same story
// listed twice and get the same key. A link does not identify an item when
// it is the bare site root. Because these rules look at the whole list, keys
// are assigned over the whole list; an item whose GUID (or link) is unique
// gets exactly ItemKey(item).
func AssignKeys(items []Item) {
	n := len(items)
	if n == 0 {
		return
	}
	guids := make([]string, n)
	links := make([]string, n)
	// For each normalised GUID, the raw GUID and identity (link, else
	// content) of the first item carrying it, and whether an item with a
	// different raw GUID or identity carries it too. Raw GUIDs are compared
	// because normalisation drops fragments: live blogs give their posts
	// GUIDs such as "https://example.com/live#post-1", "...#post-2".
	type guidUse struct {
		raw, id string
		shared  bool
	}
	byGUID := make(map[string]*guidUse, n)
	for i := range items {
		links[i] = linkIdentity(items[i].Link)
		g := guidIdentity(items[i].GUID)
		guids[i] = g
		if g == "" {
			continue
		}
		raw := strings.TrimSpace(items[i].GUID)
		id := links[i]
		if id == "" {
			id = contentIdentity(items[i])
		}
		if u, ok := byGUID[g]; !ok {
			byGUID[g] = &guidUse{raw: raw, id: id}
		} else if u.raw != raw || u.id != id {
			u.shared = true
		}
	}
	// Links of the items left for the link tier, with the same test: a link
	// identifies its items when they all carry the same title.
	type linkUse struct {
		first  string
		shared bool
	}
	byLink := make(map[string]*linkUse)
	fallback := make([]bool, n)
	for i := range items {
		if g := guids[i]; g != "" && !byGUID[g].shared {
			items[i].Key = makeKey('g', g)
			continue
		}
		fallback[i] = true
		l := links[i]
		if l == "" {
			continue
		}
		title := titleIdentity(items[i].Title)
		if u, ok := byLink[l]; !ok {
			byLink[l] = &linkUse{first: title}
		} else if u.first != title {
			u.shared = true
		}
	}
	for i := range items {
		if !fallback[i] {
			continue
		}
		switch l := links[i]; {
		case l == "":
			items[i].Key = makeKey('h', contentIdentity(items[i]))
		case !byLink[l].shared:
			items[i].Key = makeKey('l', l)
		default:
			id := l + "\x00" + titleIdentity(items[i].Title)
			if strings.TrimSpace(items[i].Title) == "" {
				id += "\x00" + items[i].Content
			}
			items[i].Key = makeKey('h', id)
		}
	}
}

// guidIdentity returns the identity string of a GUID, or "" when the GUID
// cannot identify an item on its own.
func guidIdentity(raw string) string {
	g := strings.TrimSpace(raw)
	switch strings.ToLower(g) {
	case "", "0", "-1", "#", "/", "null", "nil", "none", "undefined", "guid", "id", "false", "true":
		return ""
	}
	if hasWebScheme(g) || strings.HasPrefix(g, "//") {
		n := NormalizeURL(g)
		if isSiteRoot(n) {
			return ""
		}
		return n
	}
	return g
}

// linkIdentity returns the normalised link, or "" when there is none or it
// is the bare site root.
func linkIdentity(raw string) string {
	n := NormalizeURL(raw)
	if n == "" || isSiteRoot(n) {
		return ""
	}
	return n
}

// isSiteRoot reports whether a normalised URL names a site's home page:
// a scheme and host with no path and no query.
func isSiteRoot(n string) bool {
	i := strings.Index(n, "://")
	if i < 0 {
		return false
	}
	rest := n[i+3:]
	return rest == "" || !strings.ContainsAny(rest, "/?")
}

func titleIdentity(title string) string {
	return strings.ToLower(collapseSpace(title))
}

// contentIdentity is the identity of an item with neither a usable GUID nor
// a usable link: its title and publication date, plus its content when it
// has no title (RSS allows items with only a description).
func contentIdentity(it Item) string {
	var b strings.Builder
	b.WriteString(titleIdentity(it.Title))
	b.WriteByte(0)
	if !it.Published.IsZero() {
		b.WriteString(it.Published.UTC().Format(time.RFC3339))
	}
	if strings.TrimSpace(it.Title) == "" {
		b.WriteByte(0)
		b.WriteString(it.Content)
		b.WriteByte(0)
		b.WriteString(it.Summary)
	}
	return b.String()
}

// makeKey hashes an identity string into a short key with a tier prefix.
func makeKey(tier byte, identity string) string {
	h := sha256.New()
	h.Write([]byte{tier, 0})
	h.Write([]byte(identity))
	var sum [sha256.Size]byte
	var out [2 + 16]byte
	out[0], out[1] = tier, ':'
	hex.Encode(out[2:], h.Sum(sum[:0])[:8])
	return string(out[:])
}
