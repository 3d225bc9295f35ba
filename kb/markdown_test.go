package kb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

// The preview shows Markdown as formatting, and nothing an editor types becomes script or markup.
func TestRenderMarkdownIsSafe(t *testing.T) {
	cases := []struct {
		name, in        string
		want, mustNotBe []string
	}{
		{"formatting", "## 退货\n\n- **七天**内\n- [规则](https://example.com/r)\n\n| a | b |\n|---|---|\n| 1 | 2 |",
			[]string{"<h2>退货</h2>", "<li><strong>七天</strong>内</li>", `<a href="https://example.com/r">规则</a>`, "<td>1</td>"}, nil},
		{"raw html", `<script>alert(1)</script><img src=x onerror="alert(2)"> <b onclick="x()">hi</b>`,
			nil, []string{"<script", "<img", "onerror", "onclick", "<b"}},
		{"script links", "[a](javascript:alert(1)) [b](JavaScript:alert(1)) [c](vbscript:x) [d](data:text/html,<script>)",
			nil, []string{"javascript:", "JavaScript:", "vbscript:", "data:text"}},
		{"escaped text", "1 < 2 & \"quotes\" <not a tag",
			[]string{"1 &lt; 2 &amp; &quot;quotes&quot; &lt;not a tag"}, nil},
		{"attribute breakout", `[x](https://e.com/" onmouseover="alert(1))`, nil, []string{`" onmouseover`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			html, err := kb.RenderMarkdown(c.in)
			require.NoError(t, err)
			for _, w := range c.want {
				require.Contains(t, html, w)
			}
			for _, bad := range c.mustNotBe {
				require.NotContains(t, html, bad)
			}
		})
	}
}
