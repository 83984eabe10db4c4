package textnorm

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// scanner walks a string and produces one normalised token per call to
// next. It never allocates for tokens that are already normalised in the
// source (lower-case ASCII words, most CJK characters, lower-case words in
// other scripts): those are returned as substrings of the source.
type scanner struct {
	s    string // text being scanned
	i    int    // next byte of s to read
	pend []byte // rest of a decomposition (NFKD table data) still to read

	// cache remembers what to do with recently seen non-ASCII runes in
	// long texts; allocated on the first one, so ASCII text and short
	// strings never pay for it.
	cache    *[cacheSize]runeInfo
	useCache bool

	// Results of the last successful next.
	verbatim bool   // token is src, a substring of s
	src      string // the token when verbatim
	buf      []byte // the token when !verbatim
}

const cacheSize = 256 // direct mapped by the low bits of the rune

// runeInfo is everything the scanner needs to know about one rune.
type runeInfo struct {
	r      rune  // the rune; 0 marks an empty cache entry
	f1, f2 rune  // case-folded form (f2 is 0 unless the fold is two runes)
	cls    class // what the rune does to words
	decomp bool  // the rune has an NFKD decomposition to process instead
}

// minCacheText is the text length from which the rune cache pays off.
const minCacheText = 256

// info returns the runeInfo of the non-ASCII rune r.
func (sc *scanner) info(r rune) runeInfo {
	if !sc.useCache {
		return lookupInfo(r)
	}
	if sc.cache == nil {
		sc.cache = new([cacheSize]runeInfo)
	}
	e := &sc.cache[r&(cacheSize-1)]
	if e.r != r {
		*e = lookupInfo(r)
	}
	return *e
}

// lookupInfo computes the runeInfo of the non-ASCII rune r.
func lookupInfo(r rune) runeInfo {
	ri := runeInfo{r: r}
	if !isHangulSyllable(r) && !isKana(r) {
		var tmp [utf8.UTFMax]byte
		ri.decomp = norm.NFKD.Properties(utf8.AppendRune(tmp[:0], r)).Decomposition() != nil
	}
	if !ri.decomp {
		ri.cls = classify(r)
		if ri.cls == clsWord {
			ri.f1, ri.f2 = fold(r)
		}
	}
	return ri
}

func (sc *scanner) reset(s string) {
	sc.s, sc.i, sc.pend = s, 0, nil
	sc.useCache = sc.useCache || len(s) >= minCacheText
}

// next advances to the next token and reports whether there was one.
func (sc *scanner) next() bool {
	sc.buf = sc.buf[:0]
	inWord := false
	verbatim := false
	start, end := 0, 0 // source span of the word while verbatim
	jamo := false
	// spill copies the verbatim prefix of the word into buf, after which
	// the word is built in buf.
	spill := func() {
		if inWord && verbatim {
			sc.buf = append(sc.buf, sc.s[start:end]...)
			verbatim = false
		}
	}
loop:
	for {
		var r rune
		var size int
		fromPend := len(sc.pend) > 0
		if fromPend {
			r, size = utf8.DecodeRune(sc.pend)
		} else {
			if sc.i >= len(sc.s) {
				break
			}
			c := sc.s[sc.i]
			if c < utf8.RuneSelf {
				switch {
				case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
					if !inWord {
						inWord, verbatim, start = true, true, sc.i
					}
					sc.i++
					if verbatim {
						end = sc.i
					} else {
						sc.buf = append(sc.buf, c)
					}
					continue
				case 'A' <= c && c <= 'Z':
					spill()
					inWord = true
					sc.buf = append(sc.buf, c+('a'-'A'))
					sc.i++
					continue
				}
				sc.i++
				if inWord {
					break loop
				}
				continue
			}
			r, size = utf8.DecodeRuneInString(sc.s[sc.i:])
			if r == utf8.RuneError && size == 1 { // invalid UTF-8: a separator
				sc.i++
				if inWord {
					break loop
				}
				continue
			}
		}
		var ri runeInfo
		if r < utf8.RuneSelf { // ASCII from a decomposition, e.g. "fi" from "ﬁ"
			ri = runeInfo{r: r, cls: classify(r)}
			ri.f1, ri.f2 = fold(r)
		} else {
			ri = sc.info(r)
		}
		if ri.decomp { // only source runes; decompositions are complete
			spill()
			sc.pend = norm.NFKD.PropertiesString(sc.s[sc.i:]).Decomposition()
			sc.i += size
			continue
		}
		switch ri.cls {
		case clsWord:
			f, f2 := ri.f1, ri.f2
			if isJamo(f) {
				jamo = true
				spill()
			}
			if !inWord {
				inWord = true
				verbatim = !fromPend && f == r && f2 == 0 && !jamo
				start = sc.i
			} else if verbatim && (f != r || f2 != 0) {
				spill()
			}
			sc.advance(fromPend, size)
			if verbatim {
				end = sc.i
			} else {
				sc.buf = utf8.AppendRune(sc.buf, f)
				if f2 != 0 {
					sc.buf = utf8.AppendRune(sc.buf, f2)
				}
			}
		case clsSkip:
			spill()
			sc.advance(fromPend, size)
		case clsChar:
			if inWord {
				break loop // the character starts the next token
			}
			sc.char(r, size, fromPend)
			return true
		default: // clsSep
			sc.advance(fromPend, size)
			if inWord {
				break loop
			}
		}
	}
	if !inWord {
		return false
	}
	sc.verbatim = verbatim
	if verbatim {
		sc.src = sc.s[start:end]
		return true
	}
	if jamo {
		sc.buf = norm.NFC.Append(nil, sc.buf...)
	}
	return true
}

func (sc *scanner) advance(fromPend bool, size int) {
	if fromPend {
		sc.pend = sc.pend[size:]
	} else {
		sc.i += size
	}
}

// char makes the single character r (of a script written without spaces)
// the current token, keeping a following Japanese voiced sound mark on it.
func (sc *scanner) char(r rune, size int, fromPend bool) {
	from := sc.i
	sc.advance(fromPend, size)
	if isKana(r) {
		var next rune
		var nsize int
		nextPend := len(sc.pend) > 0
		if nextPend {
			next, nsize = utf8.DecodeRune(sc.pend)
		} else if sc.i < len(sc.s) {
			next, nsize = utf8.DecodeRuneInString(sc.s[sc.i:])
		}
		if m := voicingMark(next); m != 0 {
			sc.advance(nextPend, nsize)
			var tmp [8]byte
			b := utf8.AppendRune(tmp[:0], r)
			b = utf8.AppendRune(b, m)
			sc.buf = norm.NFC.Append(sc.buf[:0], b...)
			sc.verbatim = false
			return
		}
	}
	if !fromPend {
		sc.src = sc.s[from : from+size]
		sc.verbatim = true
		return
	}
	sc.buf = utf8.AppendRune(sc.buf[:0], r)
	sc.verbatim = false
}
