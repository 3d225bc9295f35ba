package pii

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
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

// Values of other kinds (maps, structs, raw JSON) are masked too, as text.
func TestLogHandlerMasksOtherValues(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(LogHandler(slog.NewTextHandler(&buf, nil)))
	log.Info("x", "m", map[string]string{"phone": "13812345678"}, "raw", json.RawMessage(`{"email":"ann@example.com"}`),
		"s", struct{ Card string }{"4111 1111 1111 1111"}, "n", 42)
	out := buf.String()
	for _, leak := range []string{"13812345678", "ann@example.com", "4111 1111 1111 1111"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q leaked: %s", leak, out)
		}
	}
	if !strings.Contains(out, "n=42") {
		t.Errorf("numbers kept as they are: %s", out)
	}
}
