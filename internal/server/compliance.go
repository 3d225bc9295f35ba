package server

import (
	"github.com/baton-cs/baton/internal/compliance"
)

// wireCompliance loads the compliance rules once per process and keeps them fresh: every process
// reloads them when any process announces a change on the event bus.
func (a *App) wireCompliance() {
	a.Compliance = compliance.NewChecker(a.DB.Pool, a.Log)
	a.Compliance.Follow(a.Bus, a.Done)
	if a.Turns != nil {
		a.Turns.Compliance = a.Compliance
	}
}
