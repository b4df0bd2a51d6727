-- Retention (docs/operations.md, "Retention and housekeeping"). Raw-event partitions and dead letters are simply
-- dropped or deleted past their windows; the audit log needs more, because its hash chain must stay verifiable.

-- Audit records older than the retention window move out of the database in segments (files under
-- DATA_DIR/audit-archive). A segment ends at a checkpoint: the last archived record's sequence and hash, kept
-- here, so the live chain verifies from it (its first record's prev_hash is the checkpoint's hash) and the segment
-- verifies up to it. Checkpoints only ever grow and are themselves append-only.
CREATE TABLE analytics.audit_checkpoints (
    sequence       bigint      PRIMARY KEY CHECK (sequence >= 1),
    hash           text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    first_sequence bigint      NOT NULL CHECK (first_sequence >= 1 AND first_sequence <= sequence),
    segment        text        NOT NULL,        -- where the archived records went (file name)
    segment_sha256 text        NOT NULL CHECK (segment_sha256 ~ '^[0-9a-f]{64}$'),
    archived_at    timestamptz NOT NULL
);

CREATE FUNCTION analytics.audit_checkpoints_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_checkpoints is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_checkpoints_no_update_delete
    BEFORE UPDATE OR DELETE ON analytics.audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION analytics.audit_checkpoints_reject_change();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON analytics.audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION analytics.audit_checkpoints_reject_change();

-- audit_log stays append-only, with one exception: a DELETE of records at or before the latest checkpoint, i.e.
-- records already archived in a segment whose end hash is kept. UPDATE and TRUNCATE are still refused.
CREATE FUNCTION analytics.audit_log_reject_change_unless_archived() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.sequence <= (SELECT coalesce(max(c.sequence), 0) FROM analytics.audit_checkpoints c) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER audit_log_no_update_delete ON analytics.audit_log;
CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON analytics.audit_log
    FOR EACH ROW EXECUTE FUNCTION analytics.audit_log_reject_change_unless_archived();
