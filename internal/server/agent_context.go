package server

import (
	"github.com/baton-cs/baton/canned"
	"github.com/baton-cs/baton/customer"
	"github.com/baton-cs/baton/handoff"
)

// wireAgentContext makes the stores behind the agent's context card and reply box. Summaries use
// the LLM that reads intents, when one is configured, and fall back to extractive ones.
func (a *App) wireAgentContext() {
	pool := a.DB.Pool
	a.Canned = canned.NewStore(pool)
	a.Customers = customer.NewStore(pool)
	a.Summaries = &handoff.Summaries{Store: a.Handoffs, Log: a.Log}
	if a.Turns != nil && a.Turns.Bot != nil {
		if w, ok := a.Turns.Bot.LLM.(handoff.SummaryWriter); ok {
			a.Summaries.Writer = w
		}
	}
}
