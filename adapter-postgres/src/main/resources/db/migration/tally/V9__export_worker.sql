-- The export worker (issue 9): jobs are claimed under a lease that a heartbeat renews, retried with backoff,
-- cancellable, and a succeeded job records its file's manifest. The job row is the commit point of an export.

-- No worker existed before this version, so a 'running' row was claimed by nobody who will finish it, and no
-- row has a manifest: return running rows to the queue and give old failures a reason code.
UPDATE analytics.export_jobs SET status = 'pending' WHERE status = 'running' AND attempts < max_attempts;
UPDATE analytics.export_jobs SET status = 'failed' WHERE status = 'running';
UPDATE analytics.export_jobs SET status = 'failed', error = coalesce(error, 'written before exports had manifests')
 WHERE status = 'succeeded';

ALTER TABLE analytics.export_jobs
    DROP CONSTRAINT export_jobs_status_check,
    DROP CONSTRAINT export_jobs_succeeded,
    ADD CONSTRAINT export_jobs_status_check
        CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    ADD COLUMN compression      text   NOT NULL DEFAULT 'none' CHECK (compression IN ('none', 'gzip')),
    -- Progress of the running attempt (heartbeats), or the file's rows once succeeded.
    ADD COLUMN rows_written     bigint NOT NULL DEFAULT 0 CHECK (rows_written >= 0),
    ADD COLUMN lease_owner      text,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN retry_at         timestamptz,
    ADD COLUMN error_code       text,
    -- The manifest of a succeeded job (object_key, row_count and expires_at hold the rest).
    ADD COLUMN file_name        text,
    ADD COLUMN content_type     text,
    ADD COLUMN byte_count       bigint CHECK (byte_count >= 0),
    ADD COLUMN sha256           text   CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN column_names     text,     -- comma-separated header, as in the file
    ADD COLUMN as_of            timestamptz,
    ADD COLUMN generated_at     timestamptz,
    ADD COLUMN tally_version    text;

UPDATE analytics.export_jobs SET error_code = 'export.internal_error' WHERE status = 'failed' AND error_code IS NULL;

ALTER TABLE analytics.export_jobs
    ADD CONSTRAINT export_jobs_lease
        CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    ADD CONSTRAINT export_jobs_retry CHECK (retry_at IS NULL OR status = 'pending'),
    ADD CONSTRAINT export_jobs_failed CHECK (status <> 'failed' OR error_code IS NOT NULL),
    ADD CONSTRAINT export_jobs_succeeded CHECK (
        status <> 'succeeded' OR (object_key IS NOT NULL AND row_count IS NOT NULL AND expires_at IS NOT NULL
            AND file_name IS NOT NULL AND content_type IS NOT NULL AND byte_count IS NOT NULL
            AND sha256 IS NOT NULL AND column_names IS NOT NULL AND generated_at IS NOT NULL
            AND tally_version IS NOT NULL));

-- Takeover: running jobs by lease expiry, so finding a dead worker's job stays cheap.
CREATE INDEX export_jobs_running_lease ON analytics.export_jobs (lease_expires_at) WHERE status = 'running';
