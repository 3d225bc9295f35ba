package slots

import "testing"

func TestParseNumeral(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"35", 35, true}, {"3.5", 3.5, true}, {"1,299.50", 1299.5, true},
		{"十", 10, true}, {"两", 2, true}, {"十二", 12, true}, {"二十", 20, true}, {"三十五", 35, true},
		{"两百零五", 205, true}, {"一千二", 1200, true}, {"一百五", 150, true}, {"三万五", 35000, true},
		{"两万三千", 23000, true}, {"一万零五百", 10500, true}, {"3千5", 3500, true}, {"1.5万", 15000, true},
		{"二零二六", 2026, true}, {"一亿两千万", 120000000, true}, {"壹佰贰拾", 120, true}, {"零", 0, true}, {"零五", 5, true},
		{"三五", 0, false}, {"万", 0, false}, {"十百", 0, false}, {"百", 0, false}, {"3五", 0, false},
	}
	for _, c := range cases {
		got, ok := parseNumeral(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("parseNumeral(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseEnglishNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"three", 3, true}, {"twenty-five", 25, true}, {"a hundred and five", 105, true},
		{"two thousand three hundred", 2300, true}, {"a", 0, false},
	}
	for _, c := range cases {
		got, ok := parseEnglishNumber(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("parseEnglishNumber(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
