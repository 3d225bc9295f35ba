package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	yamlLineRe     = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownKey = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// yamlError turns the YAML decoder's error into a DefinitionError that carries the line of the
// first problem, so the editor can point at it instead of only quoting "line 18" in the text.
func yamlError(err error) DefinitionError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	more := 0
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg, more = te.Errors[0], len(te.Errors)-1
	}
	de := DefinitionError{Msg: msg}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		de.Line, _ = strconv.Atoi(m[1])
		de.Msg = m[2]
	}
	if m := yamlUnknownKey.FindStringSubmatch(de.Msg); m != nil {
		de.Msg = fmt.Sprintf("unknown key %q", m[1])
	}
	if more > 0 {
		de.Msg += fmt.Sprintf(" (and %d more problems)", more)
	}
	return de
}
