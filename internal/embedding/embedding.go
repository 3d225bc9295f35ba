// Package embedding builds the knowledge base's embedder from configuration: the offline local
// one (kb.LocalEmbedder), or an OpenAI-compatible embeddings endpoint through go-openai.
package embedding

import (
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/kb"
)

// FromConfig returns the configured embedder (cfg already validated).
func FromConfig(cfg config.EmbedConfig) kb.Embedder {
	if cfg.Provider == "openai" {
		return NewOpenAI(cfg)
	}
	return kb.LocalEmbedder{}
}
