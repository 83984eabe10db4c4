package article

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func readPage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtract(t *testing.T) {
	tests := []struct {
		file, url  string
		title      string
		image      string
		lang       string
		contains   []string // body paragraphs, in this order
		notContain []string // nav, cookie banner, comments, sidebar, footer
	}{
		{
			file:  "news-article.html",
			url:   "https://www.dailyledger.example/business/2024/may/09/bank-of-england-holds-rates",
			title: "Bank of England holds rates at 5.25% but signals June cut",
			image: "https://cdn.dailyledger.example/images/2024/05/09/bailey-press-conference.jpg",
			lang:  "en-GB",
			contains: []string{
				"The Bank of England has left interest rates unchanged at a 16-year high of 5.25%",
				"Two of the nine members of the monetary policy committee voted",
				"Financial markets are now pricing in a roughly 50% chance",
				"The Bank also raised its forecast for growth this year to 0.5%",
			},
			notContain: []string{
				"We use cookies", "Accept all", "Subscribe from", "Most read", "Heatwave warning",
				"PensionerPete", "Services inflation is still running", "All rights reserved",
				"Photograph: Jonathan Brady", "Share on X", "Advertisement", "Sign up",
				"Get set for the working day", "Helen Marsh",
			},
		},
		{
			file:  "regional-latin1.html",
			url:   "https://www.regionalbote.example/region/hochwasser-sueddeutschland-pegel",
			title: "Hochwasser in Süddeutschland: Pegel steigen weiter",
			image: "https://www.regionalbote.example/bilder/2024/06/hochwasser-donau.jpg",
			lang:  "de",
			contains: []string{
				"Nach tagelangem Starkregen sind in Bayern und Baden-Württemberg die Pegel",
				"An der Donau bei Regensburg erreichte der Wasserstand am Montagmorgen 5,60 Meter.",
				"Ministerpräsident Markus Söder",
				"zwischen München und Stuttgart",
			},
			notContain: []string{"Wir verwenden Cookies", "Jetzt abonnieren", "Hans_aus_Ulm", "Impressum", "Von Martina", "\uFFFD"},
		},
		{
			file:  "wire-fr.html",
			url:   "https://agence.example/monde/2024/05/13/incendies-canada.html",
			title: "Incendies au Canada : plus de 6 000 personnes évacuées en Colombie-Britannique",
			image: "https://agence.example/monde/2024/05/photos/2024/05/fort-nelson-incendie.jpg",
			lang:  "fr-FR",
			contains: []string{
				"Plus de 6 000 habitants de Fort Nelson",
				"« La situation est extrêmement dangereuse », a déclaré le maire",
				"Le Canada a connu en 2023 sa pire saison",
			},
			notContain: []string{"cookies", "Se connecter", "À lire aussi", "Jasper", "Publicité", "Tous droits"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := Extract(readPage(t, tt.file), tt.url)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != tt.title {
				t.Errorf("Title = %q, want %q", a.Title, tt.title)
			}
			if a.ImageURL != tt.image {
				t.Errorf("ImageURL = %q, want %q", a.ImageURL, tt.image)
			}
			if a.Lang != tt.lang {
				t.Errorf("Lang = %q, want %q", a.Lang, tt.lang)
			}
			last := -1
			for _, c := range tt.contains {
				i := strings.Index(a.Text, c)
				if i < 0 {
					t.Errorf("Text lacks %q", c)
					continue
				}
				if i < last {
					t.Errorf("Text has %q out of order", c)
				}
				last = i
			}
			for _, c := range tt.notContain {
				if strings.Contains(a.Text, c) {
					t.Errorf("Text contains %q", c)
				}
			}
			if !strings.Contains(a.Text, "\n\n") {
				t.Errorf("Text lost its paragraphs: %q", a.Text)
			}
			if t.Failed() {
				t.Logf("Text:\n%s", a.Text)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name    string
		page    []byte
		url     string
		noArtic bool
	}{
		{"section page without article", readPage(t, "section-index.html"), "https://www.dailyledger.example/world", true},
		{"empty page", nil, "https://example.com/a", true},
		{"binary junk", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}, "https://example.com/a.jpg", true},
		{"relative url", readPage(t, "news-article.html"), "/business/story", false},
		{"non-http url", readPage(t, "news-article.html"), "ftp://example.com/story", false},
		{"unparsable url", readPage(t, "news-article.html"), "http://[::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(tt.page, tt.url)
			if err == nil {
				t.Fatalf("Extract = %+v, want error", a)
			}
			if got := errors.Is(err, ErrNoArticle); got != tt.noArtic {
				t.Errorf("errors.Is(%v, ErrNoArticle) = %v, want %v", err, got, tt.noArtic)
			}
		})
	}
}

func TestExtractTooLarge(t *testing.T) {
	page := "<html><body><article><p>" + strings.Repeat("<span>x</span>", MaxElements+1) + "</p></article></body></html>"
	if _, err := Extract([]byte(page), "https://example.com/big"); err == nil {
		t.Fatal("Extract accepted a page with too many elements")
	}
}

func TestCanonicalLang(t *testing.T) {
	tests := map[string]string{
		"en-GB": "en-GB", "en_gb": "en-GB", "DE": "de", " fr_FR ": "fr-FR", "de, en": "de",
		"": "", "not a language!": "", "und": "",
	}
	for in, want := range tests {
		if got := canonicalLang(in); got != want {
			t.Errorf("canonicalLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"news-article.html", "wire-fr.html", "section-index.html"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<p>short</p>"))
	f.Add([]byte("<html><head><meta property=og:image content=javascript:alert(1)></head></html>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		a, err := Extract(page, "https://example.com/news/story")
		if err != nil {
			return
		}
		if a.Text == "" {
			t.Fatal("Extract returned no error and no text")
		}
		if a.ImageURL != "" && !strings.HasPrefix(a.ImageURL, "http://") && !strings.HasPrefix(a.ImageURL, "https://") {
			t.Fatalf("ImageURL %q is not http(s)", a.ImageURL)
		}
	})
}
