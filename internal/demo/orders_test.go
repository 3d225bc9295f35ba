package demo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A demo order is expected today or in the next few days, whatever day the demo is tried on,
// and the same order keeps its date through the day.
func TestOrderDeliveryDatesAreFromToday(t *testing.T) {
	for _, today := range []time.Time{time.Now(), time.Date(2031, 7, 15, 9, 0, 0, 0, time.UTC)} {
		s := &OrderService{Now: func() time.Time { return today }}
		first := today.Format("2006-01-02")
		last := today.AddDate(0, 0, 6).Format("2006-01-02")
		for _, id := range []string{"A1234567", "B7654321", "C1234567", "D2222222", "E1357913", "F2468024"} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/"+id, nil))
			require.Equal(t, http.StatusOK, rec.Code)
			var o struct {
				ETA    string `json:"eta"`
				Status string `json:"status"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &o))
			require.GreaterOrEqual(t, o.ETA, first, "%s (%s) is expected in the past", id, o.Status)
			require.LessOrEqual(t, o.ETA, last, "%s (%s)", id, o.Status)
			if o.Status == "out_for_delivery" {
				require.Equal(t, first, o.ETA)
			}
		}
	}
}
