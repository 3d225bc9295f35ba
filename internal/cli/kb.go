package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

func newKB() *cobra.Command {
	cmd := &cobra.Command{Use: "kb", Short: "Knowledge-base tools"}
	cmd.AddCommand(newKBImport(), newKBExport(), newKBReembed())
	return cmd
}

func newKBReembed() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "reembed",
		Short: "Re-embed the knowledge base with the configured embedder (progress on stderr)",
		Long: `Re-embed every chunk the configured embedder (BATON_EMBEDDER, BATON_EMBED_MODEL,
BATON_EMBED_DIM) did not make, and re-cut articles an older chunker cut, in batches, then make
sure the HNSW index for the embedder's dimension exists. 'baton serve' does the same in the
background at start; this runs it in the foreground with a progress bar. With --all, every
article is redone (after the model behind the same name changed). Safe to interrupt and re-run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, newLogger(cfg))
			if err != nil {
				return err
			}
			defer d.Close()
			if _, err := migrations.Up(ctx, d.Pool); err != nil {
				return err
			}
			d.Pool.Reset()
			store := kb.NewStore(d.Pool, embedding.FromConfig(cfg.Embed))
			if all {
				if err := store.MarkAllStale(ctx); err != nil {
					return err
				}
			}
			if err := store.EnsureIndex(ctx); err != nil {
				return err
			}
			st, err := store.Stale(ctx)
			if err != nil {
				return err
			}
			e := store.Embedder()
			fmt.Fprintf(cmd.ErrOrStderr(), "embedder %s (%d dimensions): %d articles to re-cut, %d chunks to re-embed\n",
				e.Name(), e.Dim(), st.Articles, st.Chunks)
			bar := newProgressBar(cmd.ErrOrStderr(), st.Total(), "re-embedding")
			n, err := store.Refresh(ctx, func(done, total int) {
				bar.ChangeMax(total)
				_ = bar.Set(done)
			})
			_ = bar.Finish()
			fmt.Fprintln(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			out, _ := json.Marshal(map[string]any{"embedder": e.Name(), "dim": e.Dim(), "done": n})
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			return nil
		},
	}
	dbFlags(cmd)
	cmd.Flags().BoolVar(&all, "all", false, "redo every article, not only stale chunks")
	return cmd
}

// newProgressBar draws on w (stderr); without a terminal it still prints its updates, throttled.
func newProgressBar(w io.Writer, total int, what string) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(),
	)
}
