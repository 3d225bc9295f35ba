package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/migrations"
)

func newMigrate() *cobra.Command {
	var downTo int64
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations (or roll back with --down-to)",
		Long: `Apply every pending migration, each in its own transaction. With --down-to N, roll back
every migration above version N (0 removes Baton's schema). With the embedded database, a
running 'baton serve' on the same data directory is shared, never opened twice.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			log := newLogger(cfg)
			ctx := cmd.Context()
			d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, log)
			if err != nil {
				return err
			}
			defer d.Close()
			var rs []migrations.Result
			if cmd.Flags().Changed("down-to") {
				rs, err = migrations.DownTo(ctx, d.Pool, downTo)
			} else {
				rs, err = migrations.Up(ctx, d.Pool)
			}
			if err != nil {
				return err
			}
			for _, r := range rs {
				fmt.Fprintf(cmd.OutOrStdout(), "%s %d %s\n", map[bool]string{true: "rolled back", false: "applied"}[cmd.Flags().Changed("down-to")], r.Version, r.Name)
			}
			if len(rs) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing to do: the schema is up to date")
			}
			return nil
		},
	}
	dbFlags(cmd)
	cmd.Flags().Int64Var(&downTo, "down-to", 0, "roll back to this version instead of migrating up")
	return cmd
}
