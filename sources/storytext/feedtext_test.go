package storytext

import "testing"

func TestCleanHTMLReadsEscapedTextAsText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The &lt;dialog&gt; element is now supported", "The <dialog> element is now supported"},
		{"<p>Use <code>List&lt;String&gt;</code> here</p>", "Use List<String> here"},
		{"<p>Escaped twice: &amp;lt;T&amp;gt;</p>", "Escaped twice: &lt;T&gt;"},
		{"std::vector&lt;int&gt; in C++", "std::vector<int> in C++"},
		{"<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"<p>Shown</p><script>hidden()</script>", "Shown"},
	}
	for _, tc := range tests {
		if got := CleanHTML(tc.in); got != tc.want {
			t.Errorf("CleanHTML(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlainTextKeepsWhatIsWritten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"std::vector<int> in C++", "std::vector<int> in C++"},
		{"  Tom &amp; Jerry\n<b>  ", "Tom &amp; Jerry <b>"},
		{"a\u202Eb\u200Bc", "abc"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
