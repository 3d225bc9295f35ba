package canned

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRender(t *testing.T) {
	v := Vars{
		Customer: map[string]string{"name": "王小明", "email": "", "vip_tier": "gold"},
		Agent:    map[string]string{"name": "Lily"},
		Slots:    map[string]string{"order_id": "A1234567", "reason": "wrong_size"},
	}
	tests := []struct {
		name, body, want string
		missing          []string
	}{
		{"customer, slot and agent", "{{customer.name}}您好，订单 {{slots.order_id}} 由{{agent.name}}处理。",
			"王小明您好，订单 A1234567 由Lily处理。", []string{}},
		{"spaces inside the braces", "Hi {{ customer.name }}, reason: {{ slots.reason }}", "Hi 王小明, reason: wrong_size", []string{}},
		{"any slot", "{{slots.reason}} / {{customer.vip_tier}}", "wrong_size / gold", []string{}},
		{"empty and unknown values are a visible blank, listed once",
			"Mail {{customer.email}} about {{slots.tracking_no}}; {{slots.tracking_no}} again; {{customer.password}} {{foo}}",
			"Mail ____ about ____; ____ again; ____ ____", []string{"customer.email", "slots.tracking_no", "customer.password", "foo"}},
		{"no variables", "Have a nice day!", "Have a nice day!", []string{}},
		{"single braces are text", "{customer.name} {{{customer.name}}}", "{customer.name} {王小明}", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.body, v)
			require.Equal(t, tt.want, got.Text)
			require.Equal(t, tt.missing, got.Missing)
		})
	}
}

// A value is inserted as it is, once: a customer who calls themselves "{{agent.email}}" or writes
// markup gets exactly those characters back, never another variable's value, never rewritten
// markup (the workbench and chat show message text as text).
func TestRenderInsertsValuesLiterally(t *testing.T) {
	v := Vars{
		Customer: map[string]string{"name": `{{agent.email}} <img src=x onerror=alert(1)> & "Bob"`},
		Agent:    map[string]string{"name": "Lily", "email": "lily@shop.example"},
	}
	got := Render("Hi {{customer.name}}, I'm {{agent.name}}.", v)
	require.Equal(t, `Hi {{agent.email}} <img src=x onerror=alert(1)> & "Bob", I'm Lily.`, got.Text)
	require.NotContains(t, got.Text, "lily@shop.example")
	require.Empty(t, got.Missing)
}

func TestNormalize(t *testing.T) {
	ok := Input{Shortcut: " /退货 ", Title: " 退货流程 ", Language: "zh", Body: " {{customer.name}}您好 {{slots.order_id}} "}
	require.NoError(t, ok.Normalize())
	require.Equal(t, "退货", ok.Shortcut, "the leading slash is not part of the shortcut")
	require.Equal(t, "退货流程", ok.Title)
	require.Equal(t, "{{customer.name}}您好 {{slots.order_id}}", ok.Body)

	for _, tc := range []struct {
		in   Input
		want string
	}{
		{Input{Title: "t", Language: "en", Body: "b"}, "shortcut is required"},
		{Input{Shortcut: "/", Title: "t", Language: "en", Body: "b"}, "shortcut is required"},
		{Input{Shortcut: "two words", Title: "t", Language: "en", Body: "b"}, "no spaces"},
		{Input{Shortcut: "a/b", Title: "t", Language: "en", Body: "b"}, "only letters"},
		{Input{Shortcut: strings.Repeat("x", MaxShortcut+1), Title: "t", Language: "en", Body: "b"}, "at most 32"},
		{Input{Shortcut: "x", Language: "en", Body: "b"}, "title is required"},
		{Input{Shortcut: "x", Title: "t", Language: "fr", Body: "b"}, "language"},
		{Input{Shortcut: "x", Title: "t", Language: "en"}, "body is required"},
		{Input{Shortcut: "x", Title: "t", Language: "en", Body: strings.Repeat("长", MaxBody+1)}, "at most 4000"},
		{Input{Shortcut: "x", Title: "t", Language: "en", Body: "Hi {{customer.nickname}}"}, "unknown variable {{customer.nickname}}"},
		{Input{Shortcut: "x", Title: "t", Language: "en", Body: "Hi {{order_id}}"}, "unknown variable {{order_id}}"},
	} {
		err := tc.in.Normalize()
		require.Error(t, err, "%+v", tc.in)
		require.True(t, errors.Is(err, ErrInvalid))
		require.Contains(t, err.Error(), tc.want)
	}
}
