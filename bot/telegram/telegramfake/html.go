package telegramfake

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entity is a MessageEntity: a formatted span of a message's text, with
// Offset and Length in UTF-16 code units as the Bot API counts them.
type Entity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// ParseError is text that Telegram's HTML parse mode rejects. Its Error is
// the part of the Bot API description after "Bad Request: can't parse
// entities: ", with the byte offset of the offending input.
type ParseError struct {
	Offset int // byte offset in the input
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s at byte offset %d", e.Msg, e.Offset)
}

// UTF16Len returns the length of s in UTF-16 code units, the unit of every
// Bot API length limit and entity offset.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// tagEntity maps each tag Telegram's HTML mode accepts to the entity it
// makes. "span", "a", "code", "blockquote" and "tg-emoji" are refined by
// their attributes.
func tagEntity(name string) (string, bool) {
	switch name {
	case "b", "strong":
		return "bold", true
	case "i", "em":
		return "italic", true
	case "u", "ins":
		return "underline", true
	case "s", "strike", "del":
		return "strikethrough", true
	case "tg-spoiler", "span":
		return "spoiler", true
	case "a":
		return "text_link", true
	case "code":
		return "code", true
	case "pre":
		return "pre", true
	case "blockquote":
		return "blockquote", true
	case "tg-emoji":
		return "custom_emoji", true
	}
	return "", false
}

type openTag struct {
	name    string
	entity  Entity
	byteOff int
	seq     int // order of opening: outer entities come first on ties
}

type seqEntity struct {
	Entity
	seq int
}

// ParseHTML parses text in the Bot API's HTML parse mode and returns the
// message text after entity parsing and its entities, as Telegram would
// store them. It accepts only Telegram's tags (b, strong, i, em, u, ins, s,
// strike, del, span class="tg-spoiler", tg-spoiler, a href, code, pre,
// blockquote, tg-emoji emoji-id), properly nested and closed, and only the
// character entities &lt; &gt; &amp; &quot; and numeric ones; a '<' that
// does not start a supported tag or a '&' that does not start an entity is an
// error, as is text that is not UTF-8.
func ParseHTML(s string) (string, []Entity, error) {
	if !utf8.ValidString(s) {
		return "", nil, &ParseError{Offset: firstInvalidUTF8(s), Msg: "Strings must be encoded in UTF-8"}
	}
	var (
		out      strings.Builder
		pos      int // UTF-16 length of out
		stack    []openTag
		entities []seqEntity
		opened   int
	)
	out.Grow(len(s))
	i := 0
	for i < len(s) {
		switch c := s[i]; c {
		case '&':
			r, n, err := parseCharRef(s, i)
			if err != nil {
				return "", nil, err
			}
			out.WriteRune(r)
			pos += utf16RuneLen(r)
			i += n
		case '<':
			if i+1 < len(s) && s[i+1] == '/' {
				name, n, err := parseEndTag(s, i)
				if err != nil {
					return "", nil, err
				}
				if len(stack) == 0 {
					return "", nil, &ParseError{Offset: i, Msg: fmt.Sprintf("Unexpected end tag %q", "</"+name+">")}
				}
				top := stack[len(stack)-1]
				if top.name != name {
					return "", nil, &ParseError{Offset: i, Msg: fmt.Sprintf("Unmatched end tag, expected %q, found %q", "</"+top.name+">", "</"+name+">")}
				}
				stack = stack[:len(stack)-1]
				if e := top.entity; e.Type != "" && pos > e.Offset {
					e.Length = pos - e.Offset
					entities = append(entities, seqEntity{Entity: e, seq: top.seq})
				}
				i += n
				continue
			}
			tag, n, err := parseStartTag(s, i, stack)
			if err != nil {
				return "", nil, err
			}
			tag.entity.Offset = pos
			tag.seq = opened
			opened++
			stack = append(stack, tag)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			out.WriteString(s[i : i+n])
			pos += utf16RuneLen(r)
			i += n
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return "", nil, &ParseError{Offset: top.byteOff, Msg: fmt.Sprintf("Can't find end tag corresponding to start tag %q", top.name)}
	}
	sort.SliceStable(entities, func(a, b int) bool {
		if entities[a].Offset != entities[b].Offset {
			return entities[a].Offset < entities[b].Offset
		}
		if entities[a].Length != entities[b].Length {
			return entities[a].Length > entities[b].Length
		}
		return entities[a].seq < entities[b].seq
	})
	var ents []Entity
	for _, e := range entities {
		ents = append(ents, e.Entity)
	}
	return out.String(), ents, nil
}

func utf16RuneLen(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}

// parseCharRef decodes the character entity starting at s[i] == '&'.
func parseCharRef(s string, i int) (rune, int, error) {
	end := strings.IndexByte(s[i:], ';')
	if end < 0 || end > 12 {
		return 0, 0, &ParseError{Offset: i, Msg: "Character '&' must be escaped as \"&amp;\" unless it starts an entity"}
	}
	name := s[i+1 : i+end]
	switch name {
	case "lt":
		return '<', end + 1, nil
	case "gt":
		return '>', end + 1, nil
	case "amp":
		return '&', end + 1, nil
	case "quot":
		return '"', end + 1, nil
	}
	if num, ok := strings.CutPrefix(name, "#"); ok && num != "" {
		base := 10
		if hex, isHex := strings.CutPrefix(num, "x"); isHex {
			num, base = hex, 16
		} else if hex, isHex := strings.CutPrefix(num, "X"); isHex {
			num, base = hex, 16
		}
		v, err := strconv.ParseUint(num, base, 32)
		if err == nil && num[0] != '+' && v > 0 && v <= utf8.MaxRune && (v < 0xD800 || v > 0xDFFF) {
			return rune(v), end + 1, nil
		}
		return 0, 0, &ParseError{Offset: i, Msg: fmt.Sprintf("Invalid numeric character reference %q", "&"+name+";")}
	}
	return 0, 0, &ParseError{Offset: i, Msg: fmt.Sprintf("Unsupported HTML entity %q", "&"+name+";")}
}

func isTagNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parseEndTag reads "</name>" at s[i] and returns the lower-case name.
func parseEndTag(s string, i int) (string, int, error) {
	j := i + 2
	for j < len(s) && isTagNameByte(s[j]) {
		j++
	}
	name := strings.ToLower(s[i+2 : j])
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	if j >= len(s) || s[j] != '>' {
		return "", 0, &ParseError{Offset: i, Msg: "Unclosed end tag"}
	}
	return name, j + 1 - i, nil
}

// parseStartTag reads a start tag with its attributes at s[i] == '<'.
func parseStartTag(s string, i int, stack []openTag) (openTag, int, error) {
	j := i + 1
	for j < len(s) && isTagNameByte(s[j]) {
		j++
	}
	name := strings.ToLower(s[i+1 : j])
	typ, ok := tagEntity(name)
	if !ok {
		return openTag{}, 0, &ParseError{Offset: i, Msg: fmt.Sprintf("Unsupported start tag %q", name)}
	}
	attrs := map[string]string{}
	for {
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return openTag{}, 0, &ParseError{Offset: i, Msg: "Unclosed start tag"}
		}
		if s[j] == '>' {
			j++
			break
		}
		k := j
		for k < len(s) && (isTagNameByte(s[k]) || s[k] == '_') {
			k++
		}
		if k == j {
			return openTag{}, 0, &ParseError{Offset: j, Msg: fmt.Sprintf("Empty attribute name in the tag %q", name)}
		}
		attr := strings.ToLower(s[j:k])
		j = k
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			attrs[attr] = "" // a boolean attribute such as "expandable"
			continue
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return openTag{}, 0, &ParseError{Offset: i, Msg: "Unclosed start tag"}
		}
		var raw string
		if q := s[j]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[j+1:], q)
			if end < 0 {
				return openTag{}, 0, &ParseError{Offset: j, Msg: fmt.Sprintf("Unclosed value of attribute %q of the tag %q", attr, name)}
			}
			raw = s[j+1 : j+1+end]
			j += end + 2
		} else {
			k := j
			for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
				k++
			}
			raw = s[j:k]
			j = k
		}
		val, err := decodeAttr(raw, j-len(raw))
		if err != nil {
			return openTag{}, 0, err
		}
		attrs[attr] = val
	}
	e := Entity{Type: typ}
	switch name {
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return openTag{}, 0, &ParseError{Offset: i, Msg: `Tag "span" must have class "tg-spoiler"`}
		}
	case "a":
		href, ok := attrs["href"]
		if !ok || href == "" {
			e.Type = "" // Telegram drops a link without a target
		}
		e.URL = href
	case "code":
		if len(stack) > 0 && stack[len(stack)-1].name == "pre" {
			if lang, ok := strings.CutPrefix(attrs["class"], "language-"); ok && lang != "" {
				// The language belongs to the enclosing pre entity.
				stack[len(stack)-1].entity.Language = lang
				e.Type = ""
			}
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			e.Type = "expandable_blockquote"
		}
	case "tg-emoji":
		id := attrs["emoji-id"]
		if id == "" {
			return openTag{}, 0, &ParseError{Offset: i, Msg: `Tag "tg-emoji" must have attribute "emoji-id"`}
		}
		e.CustomEmojiID = id
	}
	return openTag{name: name, entity: e, byteOff: i}, j - i, nil
}

// decodeAttr decodes the character entities in an attribute value.
func decodeAttr(raw string, off int) (string, error) {
	if !strings.ContainsRune(raw, '&') {
		return raw, nil
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] != '&' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		r, n, err := parseCharRef(raw, i)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.Offset += off
			}
			return "", err
		}
		b.WriteRune(r)
		i += n
	}
	return b.String(), nil
}
