package cli

import (
	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/server"
)

func newServe() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Baton server (API, chat widget, workbench)",
		Long: `Run the Baton server. It opens the database (starting the embedded one when DATABASE_URL
is unset), applies pending migrations, ensures the admin account, loads demo content when
BATON_DEMO=1, and serves until SIGINT or SIGTERM, then shuts down gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return server.Serve(cmd.Context(), cfg, newLogger(cfg))
		},
	}
	dbFlags(cmd)
	cmd.Flags().String("addr", "", "listen address (env BATON_ADDR, default 127.0.0.1:8080)")
	cmd.Flags().Bool("demo", false, "load demo content (env BATON_DEMO=1)")
	return cmd
}
