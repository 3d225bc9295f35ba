package demo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

//go:embed bot.yaml
var botDefinition []byte

// BotDefinition returns the demo bot definition (YAML).
func BotDefinition() []byte { return botDefinition }

// OrderService is the demo shop's order system, which the demo bot's actions call. Orders are
// invented from their number, so any well-formed number (a letter and 7 digits) exists, except
// these, which exercise the bot's failure paths:
//
//	…0000  does not exist (404)
//	…9999  the order system fails (500)
//	…8888  the order system hangs for 10 s (the bot's 3 s timeout fires)
//
// Address changes are refused (409) for orders already shipped.
type OrderService struct {
	mu      sync.Mutex
	seq     int
	address map[string]string
	// Hang is how long …8888 orders take (default 10 s).
	Hang time.Duration
	// Now is the clock delivery dates count from (default time.Now).
	Now func() time.Time
}

var orderRe = regexp.MustCompile(`^[A-Z]\d{7}$`)

type order struct {
	ID         string `json:"order_id"`
	Status     string `json:"status"`
	StatusZH   string `json:"status_zh"`
	StatusEN   string `json:"status_en"`
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
	ETA        string `json:"eta"`
	Shipped    bool   `json:"shipped"`
	Address    string `json:"address,omitempty"`
}

// statuses with how many days from today an order in each is expected (plus up to spread-1).
var statuses = []struct {
	code, zh, en    string
	etaDays, spread int
}{
	{"processing", "正在备货,尚未发货", "being packed (not shipped yet)", 3, 3},
	{"shipped", "已发货", "shipped", 2, 2},
	{"in_transit", "运输中", "in transit", 1, 2},
	{"out_for_delivery", "正在派送", "out for delivery", 0, 1},
}

var carriers = []string{"SF Express", "JD Logistics", "ZTO", "YTO"}

func (s *OrderService) lookup(id string) (order, int) {
	id = strings.ToUpper(id)
	if !orderRe.MatchString(id) {
		return order{}, http.StatusBadRequest
	}
	switch {
	case strings.HasSuffix(id, "0000"):
		return order{}, http.StatusNotFound
	case strings.HasSuffix(id, "9999"):
		return order{}, http.StatusInternalServerError
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	n := h.Sum32()
	st := statuses[n%uint32(len(statuses))]
	o := order{ID: id, Status: st.code, StatusZH: st.zh, StatusEN: st.en, Carrier: carriers[(n/7)%uint32(len(carriers))],
		TrackingNo: fmt.Sprintf("SF%010d", uint64(n)*7919%10000000000), Shipped: st.code != "processing",
		// Expected from today on, never in the past: a demo is tried on any day.
		ETA: s.now().AddDate(0, 0, st.etaDays+int((n/31)%uint32(st.spread))).Format("2006-01-02")}
	s.mu.Lock()
	o.Address = s.address[id]
	s.mu.Unlock()
	return o, http.StatusOK
}

// ServeHTTP routes GET /orders/{id}, POST /orders/{id}/address, POST /returns and POST /invoices.
func (s *OrderService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(path, "/")
	var body map[string]string
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be a JSON object of strings"})
			return
		}
	}
	id := body["order_id"]
	if len(parts) >= 2 && parts[0] == "orders" {
		id = parts[1]
	}
	if strings.HasSuffix(id, "8888") {
		hang := s.Hang
		if hang == 0 {
			hang = 10 * time.Second
		}
		select {
		case <-time.After(hang):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.Method == http.MethodGet && len(parts) == 2 && parts[0] == "orders":
		o, code := s.lookup(parts[1])
		if code != http.StatusOK {
			writeJSON(w, code, map[string]string{"error": http.StatusText(code)})
			return
		}
		writeJSON(w, http.StatusOK, o)
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "orders" && parts[2] == "address":
		o, code := s.lookup(parts[1])
		switch {
		case code != http.StatusOK:
			writeJSON(w, code, map[string]string{"error": http.StatusText(code)})
		case o.Shipped:
			writeJSON(w, http.StatusConflict, map[string]string{"error": "already shipped"})
		case strings.TrimSpace(body["address"]) == "":
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "address is required"})
		default:
			s.mu.Lock()
			if s.address == nil {
				s.address = map[string]string{}
			}
			s.address[o.ID] = body["address"]
			s.mu.Unlock()
			o.Address = body["address"]
			writeJSON(w, http.StatusOK, o)
		}
	case r.Method == http.MethodPost && path == "returns":
		if _, code := s.lookup(body["order_id"]); code != http.StatusOK {
			writeJSON(w, code, map[string]string{"error": http.StatusText(code)})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{
			"return_id":  s.next("R"),
			"message_zh": "请在 7 天内寄回商品，快递员上门取件免费；退款将在收到退货后 1-3 个工作日内原路退回。",
			"message_en": "Please send the item back within 7 days (pick-up is free); the refund goes back to your original payment method within 1-3 working days of receipt.",
		})
	case r.Method == http.MethodPost && path == "invoices":
		if _, code := s.lookup(body["order_id"]); code != http.StatusOK {
			writeJSON(w, code, map[string]string{"error": http.StatusText(code)})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"invoice_id": s.next("INV")})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

func (s *OrderService) next(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%s%04d", prefix, time.Now().Format("0102"), s.seq)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *OrderService) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
