package server

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/baton-cs/baton/docs"
)

// Every /api route the server has is in the API document with its method, and the document names
// no route the server lacks: the document stays true to the code.
func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	h, err := ta.Routes()
	require.NoError(t, err)
	engine, ok := h.(*gin.Engine)
	require.True(t, ok, "Routes returns the gin engine")

	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(docs.OpenAPI, &doc))
	param := regexp.MustCompile(`\{[^}]+\}`)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" || strings.HasPrefix(method, "x-") {
				continue
			}
			documented[strings.ToUpper(method)+" "+param.ReplaceAllString(path, "{}")] = true
		}
	}
	ginParam := regexp.MustCompile(`[:*][^/]+`)
	served := map[string]bool{}
	for _, r := range engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz" {
			continue
		}
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{}")] = true
	}
	var undocumented, unserved []string
	for k := range served {
		if !documented[k] {
			undocumented = append(undocumented, k)
		}
	}
	for k := range documented {
		if !served[k] && (strings.Contains(k, " /api/") || strings.HasSuffix(k, "z")) {
			unserved = append(unserved, k)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unserved)
	require.Empty(t, undocumented, "routes missing from docs/openapi.yaml")
	require.Empty(t, unserved, "documented routes the server does not have")
}
