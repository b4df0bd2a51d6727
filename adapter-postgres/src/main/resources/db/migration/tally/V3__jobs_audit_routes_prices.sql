-- Asynchronous exports, claimed by workers with FOR UPDATE SKIP LOCKED.
CREATE TABLE analytics.export_jobs (
    id           uuid        PRIMARY KEY,
    org_id       uuid        NOT NULL,
    requested_by text        NOT NULL,
    kind         text        NOT NULL,             -- usage_rollups | raw_events
    params       jsonb       NOT NULL,
    status       text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts     integer     NOT NULL DEFAULT 0,
    claimed_by   text,
    claimed_at   timestamptz,
    object_key   text,
    row_count    bigint,
    error        text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX export_jobs_queued ON analytics.export_jobs (created_at) WHERE status = 'queued';
CREATE INDEX export_jobs_org ON analytics.export_jobs (org_id, created_at);

-- Every authorization decision, hash-chained: hash = sha-256(prev_hash || canonical record).
CREATE TABLE analytics.audit_log (
    sequence   bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    permission text,
    scope      text,
    decision   text        NOT NULL CHECK (decision IN ('allow', 'deny')),
    reason     text,
    prev_hash  text        NOT NULL,
    hash       text        NOT NULL UNIQUE
);
CREATE INDEX audit_log_at ON analytics.audit_log (at);

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

-- Route registry: (resource_kind, tenant, env) -> backend.
CREATE TABLE analytics.routes (
    resource_kind text        NOT NULL,
    tenant_id     text        NOT NULL,
    env           text        NOT NULL,
    backend_type  text        NOT NULL CHECK (backend_type IN ('firestore', 'dynamodb', 'cosmos', 'postgres')),
    config        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    required      boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT routes_pk PRIMARY KEY (resource_kind, tenant_id, env)
);

-- Effective-dated prices per model, micro-units per 1M tokens.
CREATE TABLE analytics.price_book (
    model_id                    text        NOT NULL,
    effective_from              timestamptz NOT NULL,
    input_micros_per_million    bigint      NOT NULL CHECK (input_micros_per_million >= 0),
    output_micros_per_million   bigint      NOT NULL CHECK (output_micros_per_million >= 0),
    CONSTRAINT price_book_pk PRIMARY KEY (model_id, effective_from)
);
