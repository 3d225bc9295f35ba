package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A NUL character (which Postgres cannot store in text) anywhere a client can put one is a 400 with
// a clear error, never a 500; in an import it fails its own row only.
func TestNULIsRejectedNotA500(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	editor := ta.user("editor@x.test", "editor")
	admin := ta.user("admin@x.test", "admin")

	bad := func(method, path, token, contentType, body string) {
		t.Helper()
		status, _, b := ta.send(method, path, token, contentType, []byte(body))
		require.Equal(t, 400, status, "%s %s answered %s", method, path, b)
		var e struct{ Error string }
		require.NoError(t, json.Unmarshal(b, &e), string(b))
		require.Contains(t, e.Error, "NUL", "%s %s", method, path)
	}
	// JSON bodies: a customer's name, a message, an article.
	bad("POST", "/api/v1/conversations", "", "application/json", `{"customer": {"name": "Ann\u0000", "language": "en"}}`)
	conv, tok := ta.customer("en")
	bad("POST", "/api/v1/conversations/"+conv+"/messages", tok, "application/json", `{"text": "hello\u0000there", "client_message_id": "m1"}`)
	bad("POST", "/api/v1/kb/articles", editor, "application/json", `{"title": "T\u0000", "body": "b", "language": "en"}`)
	// Query parameters, path parameters and forms.
	bad("GET", "/api/v1/kb/search?q=ship%00ping", editor, "", "")
	bad("GET", "/api/v1/conversations/abc%00def", tok, "", "")
	bad("POST", "/login", "", "application/x-www-form-urlencoded", "email=a%00b%40x.test&password=x")
	// A bot definition sent as YAML.
	bad("PUT", "/api/v1/bot/definition", admin, "application/yaml", "name: x\x00\n")

	// The message that was refused was not stored; a clean retry goes through once.
	out := ta.say(conv, tok, "hello there")
	require.NotEmpty(t, out.Replies)
	var msgs struct {
		Messages []struct{ Text string } `json:"messages"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/messages", tok, nil, 200, &msgs)
	for _, m := range msgs.Messages {
		require.NotContains(t, m.Text, "\x00")
	}

	// An import: the NUL row is a row error, the others go in.
	rows := strings.Join([]string{
		`{"title": "Good one", "body": "Fine text.", "language": "en"}`,
		`{"title": "Bad one", "body": "Broken\u0000text.", "language": "en"}`,
		`{"title": "Good two", "body": "More fine text.", "language": "en", "questions": ["ok?"]}`,
	}, "\n")
	res := ta.importBody("/api/v1/kb/import?format=jsonl", editor, "application/x-ndjson", []byte(rows), 200)
	require.Equal(t, 2, res.Created, "%+v", res)
	require.Equal(t, 1, res.Failed)
	require.Len(t, res.Errors, 1)
	require.Equal(t, 2, res.Errors[0].Line)
	require.Contains(t, res.Errors[0].Reason, "NUL")

	// A raw upload sent with curl's default form content type reaches the handler whole.
	res = ta.importBody("/api/v1/kb/import?format=jsonl", editor, "application/x-www-form-urlencoded",
		[]byte(`{"title": "Sent as a form", "body": "curl --data-binary sends this content type.", "language": "en"}`), 200)
	require.Equal(t, 1, res.Created, "%+v", res)
}
