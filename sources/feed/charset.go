package feed

import (
	"bytes"
	"encoding/binary"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Character set selection, in order of precedence:
//
//  1. A byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) is authoritative,
//     as in the WHATWG Encoding standard browsers follow (which, for
//     UTF-32, XML 1.0 appendix F describes).
//  2. A BOM-less UTF-16 or UTF-32 document is recognised by its "<\x00" /
//     "\x00<" (or "<\x00\x00\x00" / "\x00\x00\x00<") pattern.
//  3. The charset parameter of the HTTP Content-Type, for every media type
//     (text/xml, application/xml, application/rss+xml, ...). RFC 7303 lets
//     the XML declaration matter for some cases; we follow the common
//     practice of browsers and feed readers instead: a charset the server
//     states wins.
//  4. The encoding in the XML declaration.
//  5. UTF-8, unless nothing was declared (or only UTF-8 by the HTTP header)
//     and the bytes hold more invalid UTF-8 sequences than valid multi-byte
//     ones: then windows-1252.
//
// Two contradictions between a label and the bytes are resolved in favour of
// the bytes, because both are common server misconfigurations:
//
//   - The HTTP header names a legacy charset (classically Apache's default
//     ISO-8859-1) but the body is valid UTF-8 containing multi-byte sequences
//     and the declaration says UTF-8 or nothing: the body is UTF-8.
//   - The HTTP header says UTF-8 but the body is not valid UTF-8 and the
//     declaration names a legacy charset: the declaration wins.
//
// Labels are resolved with the WHATWG table (htmlindex), so "iso-8859-1"
// decodes as windows-1252 and "gb2312" as GBK, exactly as browsers do.
// UTF-16 labels on a document whose bytes are ASCII-compatible are ignored,
// since the label could not have been read otherwise.
//
// When the chosen encoding is UTF-8 and the body is not valid UTF-8, a body
// with no valid multi-byte sequence at all is decoded as windows-1252 (it is
// a mislabelled single-byte feed); otherwise each invalid byte becomes
// U+FFFD. Finally, characters that XML 1.0 forbids (C0 controls other than
// tab, CR and LF, U+FFFE, U+FFFF) are removed.

// decodeBody returns body as valid UTF-8 with XML-illegal characters removed,
// and the canonical name of the charset it was decoded from. It never fails:
// undecodable bytes become U+FFFD.
func decodeBody(body []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}):
		return decodeWith(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), body[4:]), "utf-32le"
	case bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}):
		return decodeWith(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), body[4:]), "utf-32be"
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return fixUTF8(body[3:]), "utf-8"
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:]), "utf-16le"
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:]), "utf-16be"
	}
	if len(body) >= 4 {
		if body[0] == '<' && body[1] == 0 && body[2] == 0 && body[3] == 0 {
			return decodeWith(utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), body), "utf-32le"
		}
		if body[0] == 0 && body[1] == 0 && body[2] == 0 && body[3] == '<' {
			return decodeWith(utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), body), "utf-32be"
		}
		if body[0] != 0 && body[1] == 0 && body[2] != 0 && body[3] == 0 {
			return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body), "utf-16le"
		}
		if body[0] == 0 && body[1] != 0 && body[2] == 0 && body[3] != 0 {
			return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body), "utf-16be"
		}
	}

	httpEnc, httpName := lookupCharset(contentTypeCharset(contentType))
	declEnc, declName := lookupCharset(xmlDeclEncoding(body))

	enc, name := httpEnc, httpName
	if enc == nil {
		enc, name = declEnc, declName
	}
	if enc != nil && httpEnc != nil {
		switch {
		case name == "utf-8" && declEnc != nil && declName != "utf-8" && !utf8.Valid(body):
			enc, name = declEnc, declName
		case name != "utf-8" && (declEnc == nil || declName == "utf-8") && hasMultiByteUTF8(body) && utf8.Valid(body):
			enc, name = nil, "utf-8"
		}
	}
	if (enc == nil || (name == "utf-8" && declEnc == nil)) && mostlyNotUTF8(body) {
		// Nothing declared (or only a server's default UTF-8 header) and the
		// bytes are mostly not UTF-8: a legacy single-byte feed (ISO-8859-1
		// read as windows-1252, as browsers do), even if a few byte pairs
		// happen to form UTF-8 sequences.
		return decodeWith(charmap.Windows1252, body), "windows-1252"
	}
	if enc == nil || name == "utf-8" {
		return fixUTF8(body), "utf-8"
	}
	return decodeWith(enc, body), name
}

// lookupCharset resolves a charset label with the WHATWG table. It returns
// nil for unknown labels, for the "replacement" encoding (which would turn the
// whole document into U+FFFD) and for UTF-16 labels, which cannot describe a
// document whose label was readable as ASCII.
func lookupCharset(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil || name == "replacement" || strings.HasPrefix(name, "utf-16") {
		return nil, ""
	}
	return enc, name
}

// contentTypeCharset returns the charset parameter of an HTTP Content-Type
// value, or "" when there is none.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return strings.Trim(params["charset"], `'`)
	}
	// Malformed header (duplicate parameters, stray ';'): look for the
	// parameter by hand.
	// (Index into the header itself: lower-casing it can change its length
	// when it is not valid UTF-8.)
	i := -1
	for k := 0; k+len("charset=") <= len(contentType); k++ {
		if strings.EqualFold(contentType[k:k+len("charset=")], "charset=") {
			i = k
			break
		}
	}
	if i < 0 {
		return ""
	}
	v := contentType[i+len("charset="):]
	if j := strings.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// xmlDeclEncoding returns the encoding pseudo-attribute of the XML
// declaration at the start of body, or "" when there is none.
func xmlDeclEncoding(body []byte) string {
	b := bytes.TrimLeft(body, " \t\r\n")
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 || end > 1024 {
		return ""
	}
	decl := b[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	rest = rest[1:]
	j := bytes.IndexByte(rest, q)
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// decodeWith converts body from enc to UTF-8 and removes XML-illegal
// characters. x/text decoders replace undecodable input with U+FFFD.
func decodeWith(enc encoding.Encoding, body []byte) []byte {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// Decoders in x/text only fail on internal transform errors; fall
		// back to treating the bytes as UTF-8 so the caller still gets text.
		return fixUTF8(body)
	}
	return fixUTF8(out)
}

// mostlyNotUTF8 reports whether b holds more invalid UTF-8 sequences than
// valid multi-byte ones.
func mostlyNotUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		i += size
	}
	return invalid > valid
}

// hasMultiByteUTF8 reports whether b contains at least one valid multi-byte
// UTF-8 sequence.
func hasMultiByteUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i++
	}
	return false
}

// fixUTF8 returns b as valid UTF-8 without XML-illegal characters. It returns
// b itself, without copying, when nothing needs fixing.
func fixUTF8(b []byte) []byte {
	bad := firstIllegal(b)
	if bad < 0 {
		return b
	}
	if !utf8.Valid(b) && !hasMultiByteUTF8(b) {
		// A single-byte legacy document labelled (or defaulted) as UTF-8.
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err == nil {
			return stripIllegal(out)
		}
	}
	return stripIllegal(b)
}

// firstIllegal returns the index of the first byte that starts an invalid
// UTF-8 sequence or an XML-illegal character, or -1.
func firstIllegal(b []byte) int {
	const (
		highBits = 0x8080808080808080
		spaces   = 0x2020202020202020
	)
	for i := 0; i < len(b); {
		// Skip eight bytes at a time while they are printable ASCII: no
		// high bit set and no byte below 0x20.
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			if w&highBits != 0 || (w-spaces)&^w&highBits != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
			return i
		}
		i += size
	}
	return -1
}

// stripIllegal copies b, replacing invalid UTF-8 bytes with U+FFFD and
// dropping XML-illegal characters.
func stripIllegal(b []byte) []byte {
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case r == 0xFFFE || r == 0xFFFF:
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// fixCharRefs rewrites numeric character references that XML forbids or that
// publishers mean as windows-1252: &#128;..&#159; become the windows-1252
// character (as HTML5 specifies; "&#146;" is a right single quote in real
// feeds), and references to XML-illegal code points are removed. Without this
// encoding/xml rejects the whole document. It returns b itself when there is
// nothing to rewrite.
func fixCharRefs(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("&#"))
		if j < 0 {
			break
		}
		start := i + j
		n, end, ok := parseCharRef(b, start)
		if !ok {
			i = start + 2
			continue
		}
		i = end
		var repl []byte
		switch {
		case n >= 0x80 && n <= 0x9F:
			r := charmap.Windows1252.DecodeByte(byte(n))
			if r == utf8.RuneError || r == rune(n) {
				repl = nil // undefined in windows-1252: drop the control
			} else {
				repl = utf8.AppendRune(nil, r)
			}
		case !xmlLegalRune(n):
			repl = nil
		default:
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:start]...)
		out = append(out, repl...)
		last = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// parseCharRef parses "&#NNN;" or "&#xHHH;" at b[start:]. It returns the code
// point, the index after the ';', and whether a complete reference was found.
// Values above the Unicode range are reported as -1 (illegal).
func parseCharRef(b []byte, start int) (int, int, bool) {
	i := start + 2
	base := 10
	if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
		base = 16
		i++
	}
	digits := i
	n := 0
	for ; i < len(b); i++ {
		c := b[i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int(c-'A') + 10
		default:
			d = -1
		}
		if d < 0 {
			break
		}
		if n <= utf8.MaxRune {
			n = n*base + d
		}
	}
	if i == digits || i >= len(b) || b[i] != ';' {
		return 0, 0, false
	}
	if n > utf8.MaxRune {
		n = -1
	}
	return n, i + 1, true
}

// xmlLegalRune reports whether XML 1.0 allows the code point in a document.
func xmlLegalRune(r int) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= utf8.MaxRune)
}
