// Package docs embeds Baton's API document, served at /api/openapi.yaml.
package docs

import _ "embed"

// OpenAPI is the OpenAPI 3 description of Baton's HTTP API.
//
//go:embed openapi.yaml
var OpenAPI []byte
