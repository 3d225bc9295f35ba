package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"path"
)

// ModulePrefix starts the bare specifier of every JS module: chat.js imports "baton/dom.js".
const ModulePrefix = "baton/"

// buildImportMap maps every .js file's bare specifier to its hashed URL. Modules then import each
// other by plain name and still get the cached, hashed file; the hash is what a CSP must allow.
func buildImportMap(urls map[string]string) (template.HTML, string) {
	imports := map[string]string{}
	for name, u := range urls {
		if path.Ext(name) == ".js" {
			imports[ModulePrefix+name] = u
		}
	}
	// json.Marshal sorts keys and escapes <, > and &, so the text is stable and cannot end the script.
	body, _ := json.Marshal(map[string]any{"imports": imports})
	sum := sha256.Sum256(body)
	tag := template.HTML(`<script type="importmap">` + string(body) + `</script>`)
	return tag, "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// ImportMap is the <script type="importmap"> tag a page puts in its <head> before any module.
func (a *Assets) ImportMap() template.HTML { return a.importMap }

// ContentSecurityPolicy is the policy for a page built only from these assets: scripts, styles,
// fetches and websockets from this origin, the inline import map by its hash, nothing else.
// frameAncestors is "'none'" for staff pages and "*" for the embeddable chat widget.
func (a *Assets) ContentSecurityPolicy(frameAncestors string) string {
	return "default-src 'self'; script-src 'self' " + a.importMapHash +
		"; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'" +
		"; form-action 'self'; frame-ancestors " + frameAncestors
}
