package slackfake

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Block Kit limits, from Slack's Block Kit reference (the OpenAPI
// description types blocks only as a JSON string).
const (
	MaxMessageBlocks  = 50
	MaxViewBlocks     = 100
	MaxMessageText    = 40000 // top-level text of chat.postMessage / chat.update
	MaxSectionText    = 3000
	MaxSectionFields  = 10
	MaxFieldText      = 2000
	MaxHeaderText     = 150
	MaxContextItems   = 10
	MaxImageURL       = 3000
	MaxAltText        = 2000
	MaxBlockID        = 255
	MaxImageTitleText = 2000
)

// blockError is one Block Kit violation, worded as Slack words them in
// response_metadata.messages.
type blockError struct{ msg, pointer string }

func (e blockError) String() string { return "[ERROR] " + e.msg + " [json-pointer:" + e.pointer + "]" }

// validateBlocks checks a blocks JSON array against Block Kit's rules.
// format is false when raw is not a JSON array of objects
// (invalid_blocks_format); errs lists every violation (invalid_blocks).
func validateBlocks(raw string, maxBlocks int) (format bool, errs []string) {
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		return false, nil
	}
	v := &validator{}
	if len(blocks) > maxBlocks {
		v.add("/blocks", "no more than %d items allowed", maxBlocks)
	}
	ids := map[string]bool{}
	for i, b := range blocks {
		p := fmt.Sprintf("/blocks/%d", i)
		if id, ok := b["block_id"]; ok {
			s, _ := id.(string)
			if s == "" || utf8.RuneCountInString(s) > MaxBlockID {
				v.add(p+"/block_id", "must be a string of 1-%d characters", MaxBlockID)
			} else if ids[s] {
				v.add(p+"/block_id", "block_id %q is already used", s)
			}
			ids[s] = true
		}
		v.block(p, b)
	}
	return true, v.errs
}

type validator struct{ errs []string }

func (v *validator) add(pointer, format string, args ...any) {
	v.errs = append(v.errs, blockError{fmt.Sprintf(format, args...), pointer}.String())
}

func (v *validator) allowOnly(p string, obj map[string]any, keys ...string) {
	for k := range obj {
		ok := false
		for _, a := range keys {
			ok = ok || k == a
		}
		if !ok {
			v.add(p, "unsupported property %q", k)
		}
	}
}

func (v *validator) block(p string, b map[string]any) {
	typ, _ := b["type"].(string)
	switch typ {
	case "section":
		v.allowOnly(p, b, "type", "block_id", "text", "fields", "accessory")
		_, hasText := b["text"]
		fields, hasFields := b["fields"].([]any)
		if !hasText && !hasFields {
			v.add(p, "must provide either text or fields")
		}
		if hasText {
			v.textObject(p+"/text", b["text"], MaxSectionText, "")
		}
		if hasFields {
			if len(fields) == 0 || len(fields) > MaxSectionFields {
				v.add(p+"/fields", "must have 1-%d items", MaxSectionFields)
			}
			for i, f := range fields {
				v.textObject(fmt.Sprintf("%s/fields/%d", p, i), f, MaxFieldText, "")
			}
		}
		if acc, ok := b["accessory"]; ok {
			v.element(p+"/accessory", acc)
		}
	case "header":
		v.allowOnly(p, b, "type", "block_id", "text")
		v.textObject(p+"/text", b["text"], MaxHeaderText, "plain_text")
	case "context":
		v.allowOnly(p, b, "type", "block_id", "elements")
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > MaxContextItems {
			v.add(p+"/elements", "must have 1-%d items", MaxContextItems)
		}
		for i, e := range els {
			ep := fmt.Sprintf("%s/elements/%d", p, i)
			if m, ok := e.(map[string]any); ok && m["type"] == "image" {
				v.element(ep, e)
				continue
			}
			v.textObject(ep, e, MaxSectionText, "")
		}
	case "divider":
		v.allowOnly(p, b, "type", "block_id")
	case "image":
		v.allowOnly(p, b, "type", "block_id", "image_url", "alt_text", "title")
		v.image(p, b)
		if t, ok := b["title"]; ok {
			v.textObject(p+"/title", t, MaxImageTitleText, "plain_text")
		}
	default:
		v.add(p+"/type", "unsupported block type %q", typ)
	}
}

func (v *validator) element(p string, e any) {
	m, ok := e.(map[string]any)
	if !ok {
		v.add(p, "must be an object")
		return
	}
	if m["type"] != "image" {
		v.add(p+"/type", "unsupported element type %v", m["type"])
		return
	}
	v.allowOnly(p, m, "type", "image_url", "alt_text")
	v.image(p, m)
}

func (v *validator) image(p string, m map[string]any) {
	u, _ := m["image_url"].(string)
	if u == "" || utf8.RuneCountInString(u) > MaxImageURL {
		v.add(p+"/image_url", "must be a URL of 1-%d characters", MaxImageURL)
	} else if !(len(u) > 8 && (u[:7] == "http://" || u[:8] == "https://")) {
		v.add(p+"/image_url", "must be an http or https URL")
	}
	alt, ok := m["alt_text"].(string)
	if !ok || alt == "" || utf8.RuneCountInString(alt) > MaxAltText {
		v.add(p+"/alt_text", "must be a string of 1-%d characters", MaxAltText)
	}
}

// textObject checks a text composition object; only, when set, is the one
// type allowed.
func (v *validator) textObject(p string, t any, max int, only string) {
	m, ok := t.(map[string]any)
	if !ok {
		v.add(p, "must be a text object")
		return
	}
	typ, _ := m["type"].(string)
	switch {
	case typ != "plain_text" && typ != "mrkdwn":
		v.add(p+"/type", "must be plain_text or mrkdwn")
	case only != "" && typ != only:
		v.add(p+"/type", "must be %s", only)
	}
	if typ == "plain_text" {
		v.allowOnly(p, m, "type", "text", "emoji")
	} else {
		v.allowOnly(p, m, "type", "text", "verbatim")
	}
	s, ok := m["text"].(string)
	n := utf8.RuneCountInString(s)
	switch {
	case !ok || n == 0:
		v.add(p+"/text", "must be more than 0 characters")
	case n > max:
		v.add(p+"/text", "must be less than %d characters", max+1)
	}
	if !utf8.ValidString(s) {
		v.add(p+"/text", "must be valid UTF-8")
	}
}

// mrkdwnTexts returns every mrkdwn string of blocks (the ones Slack parses
// for mentions and links).
func mrkdwnTexts(raw string) []string {
	var blocks []any
	if json.Unmarshal([]byte(raw), &blocks) != nil {
		return nil
	}
	var out []string
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if x["type"] == "mrkdwn" {
				if s, ok := x["text"].(string); ok {
					out = append(out, s)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(blocks)
	return out
}
