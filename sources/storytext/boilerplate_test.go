package storytext

import "testing"

func TestIsBoilerplate(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Join Us", true},
		{"Read more", true},
		{"READ MORE »", true},
		{"Continue reading...", true},
		{"Continue reading…", true},
		{"Read the full story", true},
		{"Read the full story at Reuters.com", true},
		{"Share this:", true},
		{"Subscribe to our newsletter", true},
		{"Sign up to First Edition, our free daily newsletter", true},
		{"Follow us on Instagram and TikTok", true},
		{"Follow The Guardian on Threads", true},
		{"The post Oil slips as OPEC+ meets appeared first on Energy Daily.", true},
		{"This article originally appeared on The Conversation.", true},
		{"Photo: Evan Vucci/AP", true},
		{"(Photo by Chip Somodevilla/Getty Images)", true},
		{"Image: Reuters", true},
		{"Image source, Getty Images", true},
		{"Image caption, Rescuers searched through the night", true},
		{"Photograph: Anna Moneymaker/Getty Images", true},
		{"Sergey Bobok/AFP via Getty Images", true},
		{"Reporting by Hyonhee Shin; Editing by Gerry Doyle", true},
		{"This article is more than 2 years old", true},
		{"Advertisement", true},
		{"Story continues below advertisement", true},
		{"© 2024 Example Media. All rights reserved.", true},
		{"…", true},
		{"", true},
		{"The president said he would sign the bill on Friday.", false},
		{"Reading more into the data, analysts said inflation had peaked.", false},
		{"Photographers were barred from the courtroom.", false},
		{"Follow-up talks are scheduled for June.", false},
		{"Sign language interpreters joined the briefing.", false},
		{"Imagery from satellites showed damage to the runway.", false},
		{"Reuters reported the deal first.", false},
		{"Kim Jong Un expressed firm support for Russia.", false},
		{"Join Us", true},
		{"Joining us now is the defence secretary.", false},
	}
	for _, tt := range tests {
		if got := IsBoilerplate(tt.line); got != tt.want {
			t.Errorf("IsBoilerplate(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestTrimTeaserTail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Body of the teaser […]", "Body of the teaser"},
		{"Body of the teaser [...]", "Body of the teaser"},
		{"The talks collapsed. Read more", "The talks collapsed."},
		{"The talks collapsed. Read more »", "The talks collapsed."},
		{"He said: “We won.” Continue reading...", "He said: “We won.”"},
		{"Students read more", "Students read more"},
		{"No tail here.", "No tail here."},
	}
	for _, tt := range tests {
		if got := trimTeaserTail(tt.in); got != tt.want {
			t.Errorf("trimTeaserTail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripDateline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"LONDON, May 9 (Reuters) - Britain's economy grew.", "Britain's economy grew."},
		{"KYIV, Ukraine (AP) — Russian drones struck.", "Russian drones struck."},
		{"NEW YORK (Bloomberg) -- Stocks rose.", "Stocks rose."},
		{"The report (Reuters) - not a dateline because it is far too long to be one at the start of any wire story.", "The report (Reuters) - not a dateline because it is far too long to be one at the start of any wire story."},
		{"Sources told (Reuters) that the deal is off.", "Sources told (Reuters) that the deal is off."},
		{"(AP) —", "(AP) —"},
	}
	for _, tt := range tests {
		if got := stripDateline(tt.in); got != tt.want {
			t.Errorf("stripDateline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
