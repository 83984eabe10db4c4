package feed

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

var update = flag.Bool("update", false, "rewrite the generated legacy-encoded files under testdata/")

// encodedFixtures lists the testdata files generated from UTF-8 sources in
// testdata/src/: the source is encoded with the given WHATWG label (or
// UTF-16LE with BOM, or UTF-8 with BOM), then every "{{0xHH}}" marker is
// replaced by the raw byte HH (to plant control characters and invalid
// bytes).
func encodedFixtures() map[string]string {
	return map[string]string{
		"windows1252.xml":        "windows-1252",
		"iso88591_http1252.xml":  "windows-1252",
		"iso88592.xml":           "iso-8859-2",
		"koi8r.xml":              "koi8-r",
		"koi8u.xml":              "koi8-u",
		"shiftjis.xml":           "shift_jis",
		"eucjp.xml":              "euc-jp",
		"big5.xml":               "big5",
		"gbk.xml":                "gbk",
		"gb18030.xml":            "gb18030",
		"euckr.xml":              "euc-kr",
		"utf16le_bom.xml":        "utf-16le+bom",
		"utf32le_bom.xml":        "utf-32le+bom",
		"utf32be_bom.xml":        "utf-32be+bom",
		"utf8_bom.xml":           "utf-8+bom",
		"broken_bytes.xml":       "utf-8",
		"utf8_served_latin1.xml": "utf-8",
	}
}

// generateFixture encodes one source file.
func generateFixture(src []byte, label string) ([]byte, error) {
	var out []byte
	switch label {
	case "utf-8":
		out = bytes.Clone(src)
	case "utf-32le+bom", "utf-32be+bom":
		order := utf32.LittleEndian
		if label == "utf-32be+bom" {
			order = utf32.BigEndian
		}
		b, err := utf32.UTF32(order, utf32.UseBOM).NewEncoder().Bytes(src)
		if err != nil {
			return nil, err
		}
		out = b
	case "utf-8+bom":
		out = append([]byte{0xEF, 0xBB, 0xBF}, src...)
	case "utf-16le+bom":
		enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
		b, err := enc.NewEncoder().Bytes(src)
		if err != nil {
			return nil, err
		}
		out = b
	default:
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		// The encoder fails on characters the charset cannot represent, so
		// a fixture never silently contains substitutes.
		b, err := e.NewEncoder().Bytes(src)
		if err != nil {
			return nil, err
		}
		out = b
	}
	marker := regexp.MustCompile(`\{\{0x([0-9A-Fa-f]{2})\}\}`)
	return marker.ReplaceAllFunc(out, func(m []byte) []byte {
		v, _ := strconv.ParseUint(string(m[4:6]), 16, 8)
		return []byte{byte(v)}
	}), nil
}

// TestGeneratedFixtures checks that the committed legacy-encoded files are
// exactly what the generator produces from testdata/src (run with -update to
// rewrite them after editing a source).
func TestGeneratedFixtures(t *testing.T) {
	for name, label := range encodedFixtures() {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "src", name))
			if err != nil {
				t.Fatal(err)
			}
			want, err := generateFixture(src, label)
			if err != nil {
				t.Fatalf("encode %s as %s: %v", name, label, err)
			}
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGeneratedFixtures -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is stale: run go test -run TestGeneratedFixtures -update", path)
			}
		})
	}
}
