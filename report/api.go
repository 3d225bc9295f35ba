package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/baton-cs/baton/internal/httpx"
)

// API serves the reports to supervisors and admins.
type API struct {
	DB Querier
	// DefaultTZ is the time zone days and hours are counted in when a request names none ("" = UTC).
	DefaultTZ string
	// Now is the clock (time.Now when nil); "today" is the default end of the range.
	Now func() time.Time
}

func (a *API) filter(c *gin.Context) (Filter, bool) {
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	f, err := ParseFilter(c.Query("from"), c.Query("to"), c.Query("team"), c.Query("tz"), a.DefaultTZ, now)
	if err != nil {
		httpx.Error(c, http.StatusBadRequest, strings.TrimPrefix(err.Error(), ErrBadFilter.Error()+": "))
		return Filter{}, false
	}
	return f, true
}

// Get serves GET /api/v1/reports?from=&to=&team=&tz=: every section as JSON.
func (a *API) Get(c *gin.Context) {
	f, ok := a.filter(c)
	if !ok {
		return
	}
	r, err := Run(c.Request.Context(), a.DB, f)
	if err != nil {
		a.failed(c, f, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, r)
}

// CSV serves GET /api/v1/reports/:section.csv: one section as CSV (UTF-8 with a byte-order mark,
// so Excel reads Chinese right), with the same filters.
func (a *API) CSV(c *gin.Context) {
	name, ok := strings.CutSuffix(c.Param("section"), ".csv")
	if !ok {
		httpx.Error(c, http.StatusNotFound, "no such report: ask for /api/v1/reports/<section>.csv")
		return
	}
	s, ok := SectionByKey(name)
	if !ok {
		httpx.Errorf(c, http.StatusNotFound, "no report section %q", name)
		return
	}
	f, ok := a.filter(c)
	if !ok {
		return
	}
	t, err := RunSection(c.Request.Context(), a.DB, s, f)
	if err != nil {
		a.failed(c, f, err)
		return
	}
	file := fmt.Sprintf("baton-%s-%s-to-%s", s.Key, f.From, f.To)
	if t.TeamFiltered {
		file += "-" + f.Team
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file + ".csv"}))
	h.Set("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if err := WriteCSV(c.Writer, t); err != nil {
		_ = c.Error(err)
	}
}

// failed answers a query's error: 400 for a time zone Go knows and the database does not.
func (a *API) failed(c *gin.Context, f Filter, err error) {
	var pgErr *pgconn.PgError
	// 22023 is invalid_parameter_value: "time zone ... not recognized".
	if errors.As(err, &pgErr) && pgErr.Code == "22023" && strings.Contains(pgErr.Message, "time zone") {
		httpx.Errorf(c, http.StatusBadRequest, "unknown time zone %q", f.TZ)
		return
	}
	httpx.Internal(c, err)
}

// WriteCSV writes t as CSV: a UTF-8 byte-order mark, the header, then the rows.
func WriteCSV(w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = cell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell formats one value. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets
// a leading apostrophe: questions in the report are what customers typed.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	}
	return fmt.Sprint(v)
}
