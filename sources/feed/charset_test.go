package feed

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func mustEncode(t *testing.T, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeBody(t *testing.T) {
	latin1Doc := func(decl string) []byte {
		return mustEncode(t, charmap.Windows1252.NewEncoder(), `<?xml version="1.0" encoding="`+decl+`"?><t>Caf`+"é ’"+`</t>`)
	}
	utf8Doc := []byte(`<?xml version="1.0" encoding="UTF-8"?><t>Café ’</t>`)
	sjis := mustEncode(t, japanese.ShiftJIS.NewEncoder(), `<?xml version="1.0" encoding="Shift_JIS"?><t>日本</t>`)
	utf16be := mustEncode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder(), `<?xml version="1.0"?><t>Café ’</t>`)

	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantName    string
		wantText    string
	}{
		{"utf-8 default", []byte("<t>Café ’</t>"), "", "utf-8", "Café ’"},
		{"declaration", latin1Doc("windows-1252"), "application/rss+xml", "windows-1252", "Café ’"},
		{"iso-8859-1 label means windows-1252", latin1Doc("ISO-8859-1"), "", "windows-1252", "Café ’"},
		{"http charset wins over declaration", latin1Doc("utf-8"), "text/xml; charset=windows-1252", "windows-1252", "Café ’"},
		{"http charset for application/xml too", latin1Doc("utf-8"), "application/xml; charset=\"windows-1252\"", "windows-1252", "Café ’"},
		{"unknown http charset ignored", latin1Doc("windows-1252"), "text/xml; charset=x-bogus", "windows-1252", "Café ’"},
		{"malformed content type", latin1Doc("utf-8"), "text/xml;; charset=windows-1252;", "windows-1252", "Café ’"},
		{"http latin1 but body is utf-8", utf8Doc, "text/xml; charset=ISO-8859-1", "utf-8", "Café ’"},
		{"http utf-8 but body is declared latin1", latin1Doc("windows-1252"), "text/xml; charset=utf-8", "windows-1252", "Café ’"},
		{"utf-8 bom beats http", append([]byte{0xEF, 0xBB, 0xBF}, utf8Doc...), "text/xml; charset=windows-1252", "utf-8", "Café ’"},
		{"shift_jis", sjis, "", "shift_jis", "日本"},
		{"utf-16be without bom", utf16be, "", "utf-16be", "Café ’"},
		{"utf-16 label on ascii bytes ignored", []byte(`<?xml version="1.0" encoding="UTF-16"?><t>Café ’</t>`), "", "utf-8", "Café ’"},
		{"replacement label ignored", []byte(`<?xml version="1.0" encoding="iso-2022-kr"?><t>Café ’</t>`), "", "utf-8", "Café ’"},
		{"single-byte doc labelled utf-8", latin1Doc("utf-8"), "", "utf-8", "Café ’"},
		{"stray byte in utf-8 doc", []byte("<t>Café \xff ’</t>"), "", "utf-8", "Café \uFFFD ’"},
		{"control characters removed", []byte("<t>a\x00b\x0Bc\x1Fd\te\r\n</t>"), "", "utf-8", "abcd\te\r\n"},
		{"U+FFFE removed", []byte("<t>a\uFFFEb\uFFFFc</t>"), "", "utf-8", "abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, name := decodeBody(tc.body, tc.contentType)
			if name != tc.wantName {
				t.Errorf("charset = %q; want %q", name, tc.wantName)
			}
			if !utf8.Valid(out) {
				t.Fatalf("output is not UTF-8: %q", out)
			}
			if !bytes.Contains(out, []byte("<t>"+tc.wantText+"</t>")) {
				t.Errorf("output %q lacks <t>%s</t>", out, tc.wantText)
			}
		})
	}
}

func TestDecodeBodyDoesNotCopyCleanUTF8(t *testing.T) {
	in := []byte("<rss><channel><title>Plain</title></channel></rss>")
	out, _ := decodeBody(in, "text/xml; charset=utf-8")
	if &out[0] != &in[0] {
		t.Error("clean UTF-8 input was copied")
	}
}

func TestXMLDeclEncoding(t *testing.T) {
	tests := map[string]string{
		`<?xml version="1.0" encoding="KOI8-R"?><rss/>`: "KOI8-R",
		`  <?xml version='1.0' encoding = 'big5' ?>`:    "big5",
		`<?xml version="1.0"?><rss encoding="x"/>`:      "",
		`<rss/>`: "",
		`<?xml version="1.0" encoding="unterminated`:         "",
		`<?xml version="1.0" standalone="yes" encoding=x ?>`: "",
	}
	for in, want := range tests {
		if got := xmlDeclEncoding([]byte(in)); got != want {
			t.Errorf("xmlDeclEncoding(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestFixCharRefs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no refs", "no refs"},
		{"it&#146;s &#150; &#x93;q&#x94;", "it’s – “q”"},
		{"keep &#233; &#x2014; &#8217;", "keep &#233; &#x2014; &#8217;"},
		{"drop &#0;&#x1;&#11;&#xFFFE;&#55296;&#1114112;x", "drop x"},
		{"undefined &#129; gone", "undefined  gone"},
		{"broken &#; &#x; &#12 &#99999999999999999999;", "broken &#; &#x; &#12 "},
	}
	for _, tc := range tests {
		if got := string(fixCharRefs([]byte(tc.in))); got != tc.want {
			t.Errorf("fixCharRefs(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestContentTypeCharset(t *testing.T) {
	tests := map[string]string{
		"":                                       "",
		"text/xml":                               "",
		"text/xml; charset=UTF-8":                "UTF-8",
		`application/rss+xml;charset="koi8-r"`:   "koi8-r",
		"text/html; charset=utf-8; charset=gbk":  "utf-8",
		"text/xml; Charset=Shift_JIS; foo":       "Shift_JIS",
		"application/xml; charset='iso-8859-1'":  "iso-8859-1",
		"application/xml; version=1; charset=gb": "gb",
	}
	for in, want := range tests {
		if got := contentTypeCharset(in); got != want {
			t.Errorf("contentTypeCharset(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestFirstIllegalMatchesNaive checks the word-at-a-time scan against a
// byte-by-byte definition on pseudo-random, mostly-ASCII input.
func TestFirstIllegalMatchesNaive(t *testing.T) {
	naive := func(b []byte) int {
		for i := 0; i < len(b); {
			r, size := utf8.DecodeRune(b[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF ||
				(r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
				return i
			}
			i += size
		}
		return -1
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcdefgh <>&;\t\n\r\x00\x1f\x7f\xc3\xa9\xe2\x80\x99\xef\xbf\xbe\xff")
	for n := 0; n < 20000; n++ {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			if rng.IntN(10) < 8 {
				b[i] = byte('a' + rng.IntN(26))
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		if got, want := firstIllegal(b), naive(b); got != want {
			t.Fatalf("firstIllegal(%q) = %d; want %d", b, got, want)
		}
	}
}
