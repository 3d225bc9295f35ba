package kb

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders article bodies as CommonMark plus GitHub's tables, strikethrough and task
// lists. goldmark's HTML renderer is left in its safe mode: raw HTML in the source is dropped
// (written as a comment) and javascript:, vbscript:, file: and non-image data: links lose their
// destination, so nothing an editor types becomes script or markup of its own.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// RenderMarkdown returns an article body as safe HTML, for the editor's preview.
func RenderMarkdown(body string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		return "", fmt.Errorf("kb: render markdown: %w", err)
	}
	return buf.String(), nil
}
