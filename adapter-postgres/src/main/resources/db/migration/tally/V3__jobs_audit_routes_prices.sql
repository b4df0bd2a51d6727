-- Policy-side stores: export jobs, the audit log, the route registry, and the price book of the usage side.
-- Identifiers the stores order by are COLLATE "C" so that SQL order equals Java's String order, which the
-- ports' keyset cursors and contract suites are written against.

-- Asynchronous CSV exports; workers claim the oldest pending job with FOR UPDATE SKIP LOCKED.
CREATE TABLE analytics.export_jobs (
    job_id       text COLLATE "C" PRIMARY KEY,
    org_id       text        NOT NULL,
    requested_by text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('usage_rollup', 'raw_events')),
    range_start  timestamptz NOT NULL,
    range_end    timestamptz NOT NULL,
    granularity  text        NOT NULL CHECK (granularity IN ('hourly', 'daily')),
    status       text        NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts     integer     NOT NULL,
    max_attempts integer     NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    object_key   text,
    row_count    bigint,
    error        text,
    expires_at   timestamptz,
    CONSTRAINT export_jobs_range CHECK (range_end > range_start),
    CONSTRAINT export_jobs_attempts CHECK (max_attempts >= 1 AND attempts BETWEEN 0 AND max_attempts),
    CONSTRAINT export_jobs_times CHECK (updated_at >= created_at),
    CONSTRAINT export_jobs_succeeded CHECK (
        status <> 'succeeded' OR (object_key IS NOT NULL AND row_count IS NOT NULL AND expires_at IS NOT NULL))
);
-- The queue: only pending rows, in claim order, so claiming stays cheap however many finished jobs pile up.
CREATE INDEX export_jobs_pending ON analytics.export_jobs (created_at, job_id) WHERE status = 'pending';
-- An organisation's jobs newest first, for keyset pages.
CREATE INDEX export_jobs_org_newest ON analytics.export_jobs (org_id, created_at DESC, job_id DESC);

-- Every authorization decision, hash-chained (DESIGN §1.3); hash and chaining are computed by
-- core.audit.AuditChain in the application, the database guards order and immutability.
CREATE TABLE analytics.audit_log (
    sequence   bigint      PRIMARY KEY CHECK (sequence >= 1),
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    permission text        NOT NULL,
    scope      text        NOT NULL,
    decision   text        NOT NULL CHECK (decision IN ('allow', 'deny')),
    reason     text        NOT NULL,
    prev_hash  text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash       text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_at ON analytics.audit_log (at);

-- The chain's head in one row. Appenders lock it (SELECT ... FOR UPDATE) before computing the next link, which
-- serializes appends across connections and instances: no gap, no fork.
CREATE TABLE analytics.audit_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    sequence  bigint  NOT NULL CHECK (sequence >= 0),
    hash      text    NOT NULL
);
INSERT INTO analytics.audit_head (singleton, sequence, hash) VALUES (true, 0, repeat('0', 64));

-- Appends must continue the head exactly; the check runs under the head's row lock, so even a writer that skips
-- the application cannot fork or gap the chain. Advancing the head here keeps the two in one statement.
CREATE FUNCTION analytics.audit_log_link() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    head analytics.audit_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM analytics.audit_head WHERE singleton FOR UPDATE;
    IF NEW.sequence <> head.sequence + 1 OR NEW.prev_hash <> head.hash THEN
        RAISE EXCEPTION 'audit_log append does not continue the head (sequence %, head %)',
            NEW.sequence, head.sequence USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE analytics.audit_head SET sequence = NEW.sequence, hash = NEW.hash WHERE singleton;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_link
    BEFORE INSERT ON analytics.audit_log
    FOR EACH ROW EXECUTE FUNCTION analytics.audit_log_link();

-- Append-only: the database itself refuses to change history, whatever the application does.
CREATE FUNCTION analytics.audit_log_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON analytics.audit_log
    FOR EACH ROW EXECUTE FUNCTION analytics.audit_log_reject_change();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON analytics.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION analytics.audit_log_reject_change();

-- Route registry: one route per (resource_kind, tenant, env); saving another route for a key replaces it.
CREATE TABLE analytics.routes (
    route_id      text COLLATE "C" PRIMARY KEY,
    resource_kind text COLLATE "C" NOT NULL,
    tenant_id     text COLLATE "C" NOT NULL,
    env           text COLLATE "C" NOT NULL,
    backend_type  text        NOT NULL CHECK (backend_type IN ('firestore', 'dynamodb', 'cosmos', 'postgres')),
    config        jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(config) = 'object'),
    required      boolean     NOT NULL,
    created_at    timestamptz NOT NULL,
    CONSTRAINT routes_key UNIQUE (resource_kind, tenant_id, env)
);

-- Effective-dated prices per model, micro-units per 1M tokens.
CREATE TABLE analytics.price_book (
    model_id                    text        NOT NULL,
    effective_from              timestamptz NOT NULL,
    input_micros_per_million    bigint      NOT NULL CHECK (input_micros_per_million >= 0),
    output_micros_per_million   bigint      NOT NULL CHECK (output_micros_per_million >= 0),
    CONSTRAINT price_book_pk PRIMARY KEY (model_id, effective_from)
);
