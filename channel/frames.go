package channel

import "encoding/json"

func frameType(raw []byte) string {
	var f struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(raw, &f)
	return f.Type
}
