package canned

import (
	"regexp"
	"strings"
)

// Blank stands in for a variable without a value, so the agent sees what to fill in before sending.
const Blank = "____"

// Vars are the values a conversation gives a canned response's variables.
type Vars struct {
	Customer map[string]string // name, email, phone, language, vip_tier
	Agent    map[string]string // name, email
	Slots    map[string]string // what the bot collected, by slot name
}

// Rendered is a canned response's text for one conversation.
type Rendered struct {
	Text string `json:"text"`
	// Missing lists the variables that had no value and show as Blank.
	Missing []string `json:"missing"`
}

// variable matches {{ anything }}; known names are checked by name, so a typo shows as a blank.
var variable = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

var (
	customerFields = map[string]bool{"name": true, "email": true, "phone": true, "language": true, "vip_tier": true}
	agentFields    = map[string]bool{"name": true, "email": true}
	slotName       = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
)

// known reports whether name is a variable Render fills (given a value).
func known(name string) bool {
	ns, field, ok := strings.Cut(name, ".")
	if !ok {
		return false
	}
	switch ns {
	case "customer":
		return customerFields[field]
	case "agent":
		return agentFields[field]
	case "slots":
		return slotName.MatchString(field)
	}
	return false
}

func (v Vars) lookup(name string) string {
	if !known(name) {
		return ""
	}
	ns, field, _ := strings.Cut(name, ".")
	switch ns {
	case "customer":
		return v.Customer[field]
	case "agent":
		return v.Agent[field]
	default:
		return v.Slots[field]
	}
}

// Render fills body's variables in one pass: a value is inserted as it is and never read again
// as a template, so a customer named "{{agent.email}}" stays exactly that. The result is plain
// text for a message, not HTML (the workbench and chat show message text as text). A variable
// that is unknown or has no value becomes Blank and is listed in Missing.
func Render(body string, v Vars) Rendered {
	out := Rendered{Missing: []string{}}
	seen := map[string]bool{}
	out.Text = variable.ReplaceAllStringFunc(body, func(m string) string {
		name := variable.FindStringSubmatch(m)[1]
		if val := strings.TrimSpace(v.lookup(name)); val != "" {
			return val
		}
		if !seen[name] {
			seen[name] = true
			out.Missing = append(out.Missing, name)
		}
		return Blank
	})
	return out
}

// UnknownVariables lists the {{variables}} in body that Render does not know, in order.
func UnknownVariables(body string) []string {
	var out []string
	for _, m := range variable.FindAllStringSubmatch(body, -1) {
		if !known(m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
