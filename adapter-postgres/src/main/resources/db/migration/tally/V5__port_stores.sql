-- What the usage ports need beyond V1.

-- Batch ids are the caller's text (the ingest use case derives them from request ids and stream positions) and a
-- stream may redeliver a batch under the same id; every append is still one row here. The uuid id stays (a
-- name-based uuid of the text when the text is not a uuid) so usage_events.batch_id still joins to it.
ALTER TABLE analytics.ingestion_batches DROP CONSTRAINT ingestion_batches_pkey;
ALTER TABLE analytics.ingestion_batches ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE analytics.ingestion_batches ADD COLUMN batch_ref text;
CREATE INDEX ingestion_batches_id ON analytics.ingestion_batches (id);

-- A dead letter keeps every violation (code, field, message, as parallel arrays) and its whole source.
ALTER TABLE analytics.dead_letters ADD COLUMN violation_fields   text[];
ALTER TABLE analytics.dead_letters ADD COLUMN violation_messages text[];
ALTER TABLE analytics.dead_letters ADD COLUMN consumer           text;
ALTER TABLE analytics.dead_letters ADD COLUMN request_id         text;
ALTER TABLE analytics.dead_letters ADD COLUMN batch_ref          text;
ALTER TABLE analytics.dead_letters ADD CONSTRAINT dead_letters_violations_aligned
    CHECK (violation_fields IS NULL
           OR (cardinality(violation_fields) = cardinality(error_codes)
               AND cardinality(violation_messages) = cardinality(error_codes)));
