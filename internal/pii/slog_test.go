package pii

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
)

// A log line never carries a customer's phone, e-mail or card, whether in the message, an
// attribute, a group or an error; a value marked Plain is printed as it is.
func TestLogHandlerMasks(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		var h slog.Handler = slog.NewTextHandler(&buf, nil)
		if format == "json" {
			h = slog.NewJSONHandler(&buf, nil)
		}
		log := slog.New(LogHandler(h)).With("customer", "li@example.com")
		log.Info("customer 13812345678 wrote", "text", "my card is 4111 1111 1111 1111", "err",
			errors.New("send to +86 139 1234 5678 failed"), slog.Group("who", "email", "han@example.com"),
			"demo", Plain("agent@demo.test"), "order", "AB12345678901")
		out := buf.String()
		for _, leaked := range []string{"13812345678", "li@example.com", "4111 1111 1111 1111", "139 1234 5678", "han@example.com"} {
			if bytes.Contains(buf.Bytes(), []byte(leaked)) {
				t.Errorf("%s: %q leaked: %s", format, leaked, out)
			}
		}
		for _, kept := range []string{"138****5678", "l***@example.com", "h***@example.com", "agent@demo.test", "AB12345678901"} {
			if !bytes.Contains(buf.Bytes(), []byte(kept)) {
				t.Errorf("%s: %q missing: %s", format, kept, out)
			}
		}
	}
}
