// Package assets serves the embedded static files under content-hashed URLs, so browsers may cache
// them forever and a new build is picked up the moment a page names the new hash.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Prefix is where the static files are served from.
const Prefix = "/static/"

// Assets knows every static file by its plain name and by its hashed name.
type Assets struct {
	byHashed map[string]*file  // "chat.3f2a1b9c.js" -> file
	urls     map[string]string // "chat.js" -> "/static/chat.3f2a1b9c.js"
	// importMap is the <script type="importmap"> tag and importMapHash its CSP source.
	importMap     template.HTML
	importMapHash string
}

type file struct {
	body        []byte
	contentType string
	etag        string
}

// New reads and hashes every file in fsys.
func New(fsys fs.FS) (*Assets, error) {
	a := &Assets{byHashed: map[string]*file{}, urls: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:8]
		hashed := hashedName(name, hash)
		a.byHashed[hashed] = &file{body: body, contentType: contentType(name, body), etag: `"` + hash + `"`}
		a.urls[name] = Prefix + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	a.importMap, a.importMapHash = buildImportMap(a.urls)
	return a, nil
}

// URL returns the hashed URL of a file named as in the FS ("chat.js"); an unknown name gets a URL
// that answers 404, so a typo shows up as a broken page rather than a crash.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return Prefix + "missing/" + name
}

// hashedName puts the hash before the extension: "js/chat.js" -> "js/chat.3f2a1b9c.js".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// webTypes pins the types browsers are strict about, whatever the machine's mime.types says.
var webTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".html": "text/html; charset=utf-8",
	".wasm": "application/wasm",
}

func contentType(name string, body []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := webTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return http.DetectContentType(body)
}
