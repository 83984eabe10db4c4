package storytext

import "strings"

// CleanHTML is Clean for HTML whose producer has already decided what is
// markup and what is text, such as feed.Item.Content: the input is always
// tokenized as HTML (escaped text such as "The &lt;dialog&gt; element" is
// text, never read as a tag), and entities are decoded once, by the
// tokenizer ("List&lt;String&gt;" shows as "List<String>", "&amp;lt;" as
// "&lt;"). Hidden content and boilerplate are dropped as by Clean.
func CleanHTML(htmlText string) string {
	e := extractor{decodeOnce: true}
	e.run(strings.ToValidUTF8(htmlText, "\uFFFD"))
	return strings.Join(e.paras, "\n\n")
}

// PlainText makes a field that is already plain text, such as
// feed.Item.Title, safe for a chat message without reading it as HTML:
// angle brackets and ampersands are kept as written, every run of white
// space becomes one space, and the characters Plain removes (controls, bidi
// overrides, zero-width and soft hyphens) are removed. The result is
// NFC-normalised and trimmed.
func PlainText(s string) string {
	var w lineWriter
	w.write(strings.ToValidUTF8(s, "\uFFFD"))
	return w.finish()
}
