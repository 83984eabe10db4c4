package feed

import (
	"bytes"
	"encoding/json"
	"io"
)

// jsonLimitFrom is the body size from which limitJSONItems rewrites a JSON
// Feed: below it, decoding every item costs at most a few MB.
const jsonLimitFrom = 256 << 10

// limitJSONItems returns a JSON Feed holding only the first maxItems items
// of body, so that gofeed's JSON parser (which decodes every item) never
// builds what would be thrown away. It reads the document with
// encoding/json's streaming Decoder: the top-level members are kept raw,
// the items past the cap are skipped without being kept. A body below
// jsonLimitFrom, or one that is not a JSON object, is returned unchanged
// (gofeed reports what is wrong with it).
func limitJSONItems(body []byte, maxItems int) []byte {
	if len(body) < jsonLimitFrom {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return body
	}
	var out bytes.Buffer
	out.Grow(min(len(body), 1<<20))
	out.WriteByte('{')
	first := true
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return body
		}
		key, _ := keyTok.(string)
		k, _ := json.Marshal(key)
		if !first {
			out.WriteByte(',')
		}
		first = false
		out.Write(k)
		out.WriteByte(':')
		if key != "items" {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				return body
			}
			out.Write(raw)
			continue
		}
		if !copyItems(dec, &out, maxItems) {
			return body
		}
	}
	out.WriteByte('}')
	return out.Bytes()
}

// copyItems copies the first maxItems elements of the array at the
// decoder's position to out as a JSON array and skips the rest.
func copyItems(dec *json.Decoder, out *bytes.Buffer, maxItems int) bool {
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	if tok != json.Delim('[') {
		b, _ := json.Marshal(tok)
		out.Write(b) // not an array: gofeed reports it
		return true
	}
	out.WriteByte('[')
	for n := 0; dec.More(); n++ {
		if n >= maxItems {
			var skip struct{} // walks the value, keeps nothing
			if err := dec.Decode(&skip); err != nil && !isTypeError(err) {
				return false
			}
			continue
		}
		var raw json.RawMessage
		if dec.Decode(&raw) != nil {
			return false
		}
		if n > 0 {
			out.WriteByte(',')
		}
		out.Write(raw)
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		return false
	}
	out.WriteByte(']')
	return true
}

func isTypeError(err error) bool {
	_, ok := err.(*json.UnmarshalTypeError)
	return ok
}
