package discord

import (
	"encoding/json"
	"testing"

	"github.com/newsalert/newsalert/bot"
)

// BenchmarkRenderBatch renders a full batch of 10 alerts (700-character
// summaries with highlights) into message bodies, as Send does.
func BenchmarkRenderBatch(b *testing.B) {
	alerts := loadAlerts(b)
	batch := make([]bot.Alert, 10)
	for i := range batch {
		batch[i] = alerts[i%len(alerts)]
		for len(batch[i].Summary) < 700 {
			batch[i].Summary += " " + alerts[0].Summary
		}
		batch[i].Summary = batch[i].Summary[:700]
	}
	b.ReportAllocs()
	for b.Loop() {
		embeds := make([]embed, len(batch))
		for i, a := range batch {
			embeds[i] = renderAlert(a, fullBudgets())
		}
		for _, g := range packEmbeds(embeds) {
			msg := messagePayload{AllowedMentions: noMentions()}
			for _, i := range g {
				msg.Embeds = append(msg.Embeds, embeds[i])
			}
			if _, err := json.Marshal(msg); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEscapeMarkdown escapes a hostile 700-character summary.
func BenchmarkEscapeMarkdown(b *testing.B) {
	text := loadAlerts(b)[2].Summary
	for len(text) < 700 {
		text += text
	}
	text = text[:700]
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		escapeMarkdown(text, maxDescription)
	}
}
