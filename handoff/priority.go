package handoff

// A handoff's priority is a number, higher first; the queue is ordered by priority, then by age.
// The SLA tiers (sla.go) name bands of it; an SLA breach raises it (escalate.go).
const (
	PriorityHigh   = 10
	PriorityUrgent = 20
	// MaxPriority caps what reasons, rules and VIP bonuses add up to when a handoff is made.
	MaxPriority = 100
	// moodRaise is added when the customer was upset but handed off for another reason.
	moodRaise = 10
)

// Priority is the base priority of a handoff reason: complaints and anger first, then people who
// asked for a person or whose task failed, then the rest.
func Priority(reason string) int {
	switch reason {
	case ReasonComplaint, ReasonNegative:
		return PriorityUrgent
	case ReasonHumanRequest, ReasonActionFailed, ReasonRetries:
		return PriorityHigh
	}
	return 0
}

// PriorityOf is a handoff's priority when it is made: its reason's base, plus 10 when the
// customer's last message was negative but the reason is not already about mood, plus bonus (the
// intent's handoff-rule priority and the VIP bonus of the bot definition, for a customer whose
// profile has a VIP tier), at most MaxPriority.
func PriorityOf(reason, sentimentLabel string, bonus int) int {
	return PriorityWith(reason, sentimentLabel, bonus, 0)
}

// PriorityWith is PriorityOf plus the conversation's channel bonus (BATON_CHANNEL_PRIORITY, which
// may be negative), kept within 0..MaxPriority.
func PriorityWith(reason, sentimentLabel string, bonus, channelBonus int) int {
	p := Priority(reason) + max(bonus, 0) + channelBonus
	if sentimentLabel == "negative" && reason != ReasonComplaint && reason != ReasonNegative {
		p += moodRaise
	}
	return max(0, min(p, MaxPriority))
}
