package bot

import (
	"errors"
	"strings"
	"testing"
)

// A small valid definition; each case below breaks one line of it.
const smallDefinition = `name: tiny
intents:
  - name: hello
    examples:
      en: [hi, hello]
    action:
      reply: Hello!
  - name: bye
    examples:
      en: [bye, goodbye]
    action:
      reply: Bye!
`

func TestParseDefinitionReportsTheLine(t *testing.T) {
	if _, err := ParseDefinition([]byte(smallDefinition)); err != nil {
		t.Fatalf("the base definition is invalid: %v", err)
	}
	tests := []struct {
		name, from, to string
		line           int
		msg            string
	}{
		{"unknown key", "    examples:\n      en: [bye", "    bogus: 1\n    examples:\n      en: [bye", 9, `unknown key "bogus"`},
		{"two unknown keys", "name: tiny\n", "name: tiny\nfoo: 1\nbar: 2\n", 2, `unknown key "foo" (and 1 more problems)`},
		{"wrong type", "en: [hi, hello]", "en: hi", 5, "cannot unmarshal"},
		{"bad label language", "  - name: bye\n", "  - name: bye\n    label: {fr: au revoir}\n", 9, `unknown language "fr"`},
		{"validation", "reply: Bye!", "reply: ''", 11, "action needs a reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(smallDefinition, tt.from, tt.to, 1)
			_, err := ParseDefinition([]byte(src))
			var de DefinitionError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a DefinitionError", err)
			}
			if de.Line != tt.line || !strings.Contains(de.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", de.Line, de.Msg, tt.line, tt.msg)
			}
			if !strings.HasPrefix(de.Error(), "line ") {
				t.Errorf("Error() = %q, want it to start with the line", de.Error())
			}
		})
	}
}
