package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// barChart renders values as an SVG bar chart, server-side, with a text
// summary for screen readers. label names the series ("new stories per
// day"); first and last label the ends of the axis.
func barChart(values []int64, label, first, last string) template.HTML {
	const w, h, top, bottom = 280.0, 80.0, 14.0, 14.0
	var max, total int64
	for _, v := range values {
		total += v
		if v > max {
			max = v
		}
	}
	summary := fmt.Sprintf("%s: %d in all, at most %d, from %s to %s", label, total, max, first, last)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		w, h, html.EscapeString(summary))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(summary))
	n := len(values)
	if n > 0 {
		bw := w / float64(n)
		for i, v := range values {
			bh := 0.0
			if max > 0 {
				bh = float64(v) / float64(max) * (h - top - bottom)
			}
			if v > 0 && bh < 1 {
				bh = 1
			}
			fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%d</title></rect>`,
				float64(i)*bw+1, h-bottom-bh, bw-2, bh, v)
		}
	}
	fmt.Fprintf(&b, `<line x1="0" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#999"/>`, h-bottom, w, h-bottom)
	fmt.Fprintf(&b, `<text x="0" y="10">max %d</text>`, max)
	fmt.Fprintf(&b, `<text x="0" y="%.0f">%s</text>`, h-2, html.EscapeString(first))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%s</text>`, w, h-2, html.EscapeString(last))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every value interpolated above is a number or escaped
}
