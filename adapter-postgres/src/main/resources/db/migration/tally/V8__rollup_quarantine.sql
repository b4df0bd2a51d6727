-- Hours whose rollup failed and that wait, set apart, for their next attempt (issue 8: one event dated 1600 made
-- every rollup run fail, for every organisation). The rollup use case writes an entry when an hour fails on its
-- own (core.rollup.RollupRetryPolicy decides the next attempt); the refresh claim passes quarantined hours over,
-- and a refresh that rolls the hour up deletes its entry in the same transaction. The hour keeps its dirty_hours
-- row meanwhile, so its organisation's watermark does not move.
CREATE TABLE analytics.rollup_quarantine (
    org_id          uuid        NOT NULL,
    bucket_start    timestamptz NOT NULL,
    reason          text        NOT NULL,
    attempts        integer     NOT NULL CHECK (attempts >= 1),
    first_failed_at timestamptz NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    CONSTRAINT rollup_quarantine_pk PRIMARY KEY (org_id, bucket_start),
    CONSTRAINT rollup_quarantine_times CHECK (first_failed_at <= last_failed_at AND last_failed_at <= next_attempt_at)
);
CREATE INDEX rollup_quarantine_due ON analytics.rollup_quarantine (next_attempt_at);
CREATE INDEX rollup_quarantine_oldest ON analytics.rollup_quarantine (first_failed_at);
