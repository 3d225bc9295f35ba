package pii

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// Plain marks a log attribute's value as safe to print as it is: a staff account's address the
// operator needs to read (the demo accounts at start-up), never a customer's.
type Plain string

// LogHandler wraps h so that the message and every string attribute value (errors and other
// values too, as their text) have their personal data masked before h writes them.
func LogHandler(h slog.Handler) slog.Handler { return &logHandler{h} }

type logHandler struct{ next slog.Handler }

func (l *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.next.Enabled(ctx, level)
}

func (l *logHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return l.next.Handle(ctx, out)
}

func (l *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return &logHandler{l.next.WithAttrs(masked)}
}

func (l *logHandler) WithGroup(name string) slog.Handler { return &logHandler{l.next.WithGroup(name)} }

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Mask(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]any, len(group))
		for i, g := range group {
			masked[i] = maskAttr(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case Plain:
			return slog.String(a.Key, string(x))
		case error:
			return slog.String(a.Key, Mask(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Mask(x.String()))
		case []string:
			masked := make([]string, len(x))
			for i, s := range x {
				masked[i] = Mask(s)
			}
			return slog.Any(a.Key, masked)
		case []byte:
			return slog.String(a.Key, Mask(string(x)))
		case json.RawMessage:
			return slog.String(a.Key, Mask(string(x)))
		case nil:
		default:
			// Maps, structs, slices: written as text, masked, rather than let through.
			return slog.String(a.Key, Mask(fmt.Sprintf("%+v", x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
