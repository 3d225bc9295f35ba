-- +goose Up
-- Evaluation runs started from the workbench: which suites, who, how it went, and the whole
-- report (metrics, every case with its checks and transcript) to view and compare later.
CREATE TABLE eval_runs (
    id          bigserial PRIMARY KEY,
    suites      text[] NOT NULL,
    tags        text[] NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    error       text NOT NULL DEFAULT '',
    cases       integer NOT NULL DEFAULT 0,
    passed      integer NOT NULL DEFAULT 0,
    done_cases  integer NOT NULL DEFAULT 0,
    total_cases integer NOT NULL DEFAULT 0,
    summary     jsonb NOT NULL DEFAULT '{}',
    report      jsonb,
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX eval_runs_created_idx ON eval_runs (created_at DESC);

-- +goose Down
DROP TABLE eval_runs;
