package handoff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database
)

// Business hours. A team (the agents with one skill) may have weekly opening hours in its time
// zone; without them it is always open. Outside its hours a handoff still goes to an agent who
// is online (someone working late); with nobody there, the bot tells the customer when the team
// is back and the handoff waits as a left message (see afterhours.go).

// Days are the keys of a week's hours, Monday first.
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// WeekHours is a week of opening hours as the API and the database spell it: for each day
// ("mon" … "sun") its spans, "09:00-18:00"; a day not listed is closed. nil means always open.
type WeekHours map[string][]string

// Schedule is a team's parsed business hours.
type Schedule struct {
	loc    *time.Location
	always bool
	days   [7][]span // by time.Weekday
}

// span is [from, to) in minutes after local midnight; to may be 24*60.
type span struct{ from, to int }

// AlwaysOpen is the schedule of a team without business hours.
var AlwaysOpen = Schedule{loc: time.UTC, always: true}

// ParseSchedule checks hours in time zone tz (an IANA name such as "Asia/Shanghai"). nil hours
// mean always open. A day's spans must be HH:MM-HH:MM with the end after the start ("24:00" ends
// at midnight; a shift past midnight is two spans on two days) and must not overlap.
func ParseSchedule(tz string, hours WeekHours) (Schedule, error) {
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || strings.EqualFold(tz, "local") {
		return Schedule{}, fmt.Errorf("%w: time_zone %q is not an IANA time zone such as Asia/Shanghai or Europe/Berlin", ErrInvalid, tz)
	}
	s := Schedule{loc: loc, always: hours == nil}
	if hours == nil {
		return s, nil
	}
	open := false
	for day, spans := range hours {
		i := slices.Index(Days, day)
		if i < 0 {
			return Schedule{}, fmt.Errorf("%w: hours: %q is not a day (mon, tue, wed, thu, fri, sat, sun)", ErrInvalid, day)
		}
		wd := time.Weekday((i + 1) % 7)
		for _, text := range spans {
			sp, ok := parseSpan(text)
			if !ok {
				return Schedule{}, fmt.Errorf("%w: hours.%s: %q is not a span such as 09:00-18:00", ErrInvalid, day, text)
			}
			s.days[wd] = append(s.days[wd], sp)
		}
		slices.SortFunc(s.days[wd], func(a, b span) int { return a.from - b.from })
		for k := 1; k < len(s.days[wd]); k++ {
			if s.days[wd][k].from < s.days[wd][k-1].to {
				return Schedule{}, fmt.Errorf("%w: hours.%s: spans overlap", ErrInvalid, day)
			}
		}
		open = open || len(s.days[wd]) > 0
	}
	if !open {
		return Schedule{}, fmt.Errorf("%w: hours open on no day; send \"hours\": null for always open", ErrInvalid)
	}
	return s, nil
}

func parseSpan(text string) (span, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(text), "-")
	if !ok {
		return span{}, false
	}
	from, ok1 := parseClock(a)
	to, ok2 := parseClock(b)
	return span{from, to}, ok1 && ok2 && to > from
}

func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) == 0 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || mm < 0 || mm > 59 || hh < 0 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// Location is the schedule's time zone.
func (s Schedule) Location() *time.Location { return s.loc }

// AlwaysOpen reports a schedule without business hours.
func (s Schedule) AlwaysOpen() bool { return s.always }

// NextOpen returns t when the team is open at t, else when it next opens; false when it never
// does (which ParseSchedule does not allow).
func (s Schedule) NextOpen(t time.Time) (time.Time, bool) {
	if s.always {
		return t, true
	}
	local := t.In(s.loc)
	y, m, d := local.Date()
	for k := 0; k <= 7; k++ {
		day := time.Date(y, m, d+k, 0, 0, 0, 0, s.loc)
		for _, sp := range s.days[day.Weekday()] {
			start := time.Date(y, m, d+k, sp.from/60, sp.from%60, 0, 0, s.loc)
			end := time.Date(y, m, d+k, sp.to/60, sp.to%60, 0, 0, s.loc)
			if !t.Before(start) && t.Before(end) {
				return t, true
			}
			if start.After(t) {
				return start, true
			}
		}
	}
	return time.Time{}, false
}

// OpenAt reports whether the team is open at t.
func (s Schedule) OpenAt(t time.Time) bool {
	next, ok := s.NextOpen(t)
	return ok && next.Equal(t)
}
