package report

import "math"

// Summary is the page's headline figures, added up from the sections.
type Summary struct {
	Conversations      int64    `json:"conversations"`
	CustomerMessages   int64    `json:"customer_messages"`
	Handoffs           int64    `json:"handoffs"`
	ContainmentPercent *float64 `json:"containment_percent"`
	CSATAverage        *float64 `json:"csat_average"`
	CSATRatings        int64    `json:"csat_ratings"`
	TicketsOpened      int64    `json:"tickets_opened"`
	TicketsSolved      int64    `json:"tickets_solved"`
	TicketsEscalated   int64    `json:"tickets_escalated"`
	SLABreaches        int64    `json:"sla_breaches"`
	ComplianceHits     int64    `json:"compliance_hits"`
}

func summarize(s map[string]*Table) Summary {
	var sum Summary
	if t := s["days"]; t != nil {
		sum.Conversations = int64(t.Sum("conversations"))
		sum.CustomerMessages = int64(t.Sum("customer_messages"))
		sum.Handoffs = int64(t.Sum("handoffs"))
	}
	if t := s["bot"]; t != nil {
		all := t.Sum("conversations")
		for _, row := range t.Rows {
			if row[0] == "contained" && all > 0 {
				p := math.Round(number(row[1])*1000/all) / 10
				sum.ContainmentPercent = &p
			}
		}
		if all > 0 && sum.ContainmentPercent == nil {
			zero := 0.0
			sum.ContainmentPercent = &zero
		}
	}
	if t := s["csat"]; t != nil {
		for _, row := range t.Rows {
			if row[0] == "all" {
				sum.CSATRatings = int64(number(row[2]))
				avg := number(row[3])
				sum.CSATAverage = &avg
			}
		}
	}
	if t := s["tickets"]; t != nil {
		sum.TicketsOpened = int64(t.Sum("opened"))
		sum.TicketsSolved = int64(t.Sum("solved"))
		sum.TicketsEscalated = int64(t.Sum("escalated"))
		sum.SLABreaches = int64(t.Sum("sla_first_response_breaches") + t.Sum("sla_next_response_breaches"))
	}
	if t := s["compliance"]; t != nil {
		sum.ComplianceHits = int64(t.Sum("hits"))
	}
	return sum
}
