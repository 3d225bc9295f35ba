package report

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxDays is the longest range a report covers.
const MaxDays = 366

// DefaultDays is the range a report covers when none is given: the last seven days, today included.
const DefaultDays = 7

// Filter is what a report covers: the calendar days From..To (both included) in the time zone TZ,
// i.e. the instants [Start, End), and optionally one team.
type Filter struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Team  string    `json:"team"`
	TZ    string    `json:"tz"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// ErrBadFilter wraps every reason a filter is refused (the API answers 400).
var ErrBadFilter = errors.New("report: bad filter")

func badFilter(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadFilter, fmt.Sprintf(format, args...))
}

// ParseFilter reads a filter as the API gets it: dates as YYYY-MM-DD (from defaults to six days
// before to, to defaults to today), tz an IANA name (defaultTZ, else UTC, when empty).
func ParseFilter(from, to, team, tz, defaultTZ string, now time.Time) (Filter, error) {
	if tz == "" {
		tz = defaultTZ
	}
	if tz == "" {
		tz = "UTC"
	}
	// "Local" means this machine's zone to Go and nothing to Postgres.
	if tz == "Local" || len(tz) > 64 {
		return Filter{}, badFilter("unknown time zone %q", tz)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return Filter{}, badFilter("unknown time zone %q", tz)
	}
	team = strings.TrimSpace(team)
	if len(team) > 100 {
		return Filter{}, badFilter("team is too long")
	}
	today := now.In(loc)
	toDay := dayStart(today, loc)
	if to != "" {
		if toDay, err = time.ParseInLocation(time.DateOnly, to, loc); err != nil {
			return Filter{}, badFilter("to must be a date as YYYY-MM-DD, not %q", to)
		}
	}
	fromDay := toDay.AddDate(0, 0, -(DefaultDays - 1))
	if from != "" {
		if fromDay, err = time.ParseInLocation(time.DateOnly, from, loc); err != nil {
			return Filter{}, badFilter("from must be a date as YYYY-MM-DD, not %q", from)
		}
	}
	if fromDay.After(toDay) {
		return Filter{}, badFilter("from (%s) is after to (%s)", fromDay.Format(time.DateOnly), toDay.Format(time.DateOnly))
	}
	// Calendar days, counted in UTC so a daylight-saving change does not shorten one.
	span := int(math.Round(civil(toDay).Sub(civil(fromDay)).Hours()/24)) + 1
	if span > MaxDays {
		return Filter{}, badFilter("the range is %d days; at most %d", span, MaxDays)
	}
	return Filter{
		From: fromDay.Format(time.DateOnly), To: toDay.Format(time.DateOnly), Team: team, TZ: tz,
		Start: dayStart(fromDay, loc), End: dayStart(toDay.AddDate(0, 0, 1), loc),
	}, nil
}

// civil is the same calendar day at midnight UTC.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
