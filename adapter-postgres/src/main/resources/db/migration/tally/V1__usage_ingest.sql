-- Raw usage events and everything the ingest transaction writes next to them.
-- Flyway runs this with search_path = analytics; names are still qualified so the SQL reads the same anywhere.

-- Raw events, one row per inference request, partitioned by day of occurred_at (UTC).
-- There is deliberately no DEFAULT partition: a default partition would have to be scanned and split every
-- time a new day is attached, so partitions are created ahead and on demand (PartitionMaintainer) instead.
CREATE TABLE analytics.usage_events (
    org_id        uuid        NOT NULL,
    -- Event ids are opaque: byte order ("C") makes every key comparison a memcmp instead of a locale call,
    -- which is most of the cost of maintaining the two unique indexes that hold event_id.
    event_id      text        COLLATE "C" NOT NULL,
    occurred_at   timestamptz NOT NULL,
    model_id      text        NOT NULL,
    actor_id      text,
    api_key_id    text,
    input_tokens  bigint      NOT NULL CHECK (input_tokens >= 0),
    output_tokens bigint      NOT NULL CHECK (output_tokens >= 0),
    cost_micros   bigint      NOT NULL CHECK (cost_micros >= 0),   -- priced at ingest, never recomputed
    latency_ms    bigint      NOT NULL CHECK (latency_ms >= 0),
    status        text        NOT NULL CHECK (status IN ('success', 'error')),
    error_code    text,
    region        text,
    fingerprint   text        NOT NULL,                           -- sha-256 hex of the payload as received
    batch_id      uuid        NOT NULL,
    ingested_at   timestamptz NOT NULL,
    -- Unique (org_id, event_id, occurred_at), the key order chosen so the same index also serves the reads:
    -- rollups recompute (org, hour) buckets and exact-mode queries scan one org over a time range. Every index
    -- is paid on every ingested event, so one index serves both jobs. A partitioned table's unique key must
    -- contain the partition key, so this only catches a resend with the same occurred_at; usage_event_keys
    -- below is what catches every resend.
    CONSTRAINT usage_events_pk PRIMARY KEY (org_id, occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);

-- The dedup source of truth: one row per (org_id, event_id) whatever its occurred_at. Not partitioned, so a
-- resend that moved in time is still seen. First write wins: the row here is the winner's fingerprint.
CREATE TABLE analytics.usage_event_keys (
    org_id      uuid        NOT NULL,
    event_id    text        COLLATE "C" NOT NULL,
    occurred_at timestamptz NOT NULL,
    fingerprint text        NOT NULL,
    CONSTRAINT usage_event_keys_pk PRIMARY KEY (org_id, event_id)
);
-- No index on occurred_at on purpose: retention deletes a day's keys by joining the partition it drops
-- (through this primary key), and every extra index here is paid on every ingested event.

-- A later payload for a key that already exists with a different fingerprint, kept for inspection, never merged.
CREATE TABLE analytics.usage_event_conflicts (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id            uuid        NOT NULL,
    event_id          text        COLLATE "C" NOT NULL,
    occurred_at       timestamptz NOT NULL,
    model_id          text        NOT NULL,
    actor_id          text,
    api_key_id        text,
    input_tokens      bigint      NOT NULL,
    output_tokens     bigint      NOT NULL,
    cost_micros       bigint      NOT NULL,
    latency_ms        bigint      NOT NULL,
    status            text        NOT NULL,
    error_code        text,
    region            text,
    fingerprint       text        NOT NULL,
    first_fingerprint text        NOT NULL,   -- the fingerprint that won
    batch_id          uuid        NOT NULL,
    received_at       timestamptz NOT NULL
);
CREATE INDEX usage_event_conflicts_key ON analytics.usage_event_conflicts (org_id, event_id);
CREATE INDEX usage_event_conflicts_received ON analytics.usage_event_conflicts (received_at);

-- One row per committed ingestion batch: where it came from and what it did.
CREATE TABLE analytics.ingestion_batches (
    id          uuid        PRIMARY KEY,
    source      text        NOT NULL,          -- stream | http | direct
    stream      text,
    consumer    text,
    last_offset bigint,
    request_id  text,
    received    integer     NOT NULL,
    inserted    integer     NOT NULL,
    duplicates  integer     NOT NULL,
    conflicts   integer     NOT NULL,
    rejected    integer     NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    CHECK (received = inserted + duplicates + conflicts),
    CHECK ((stream IS NULL) = (consumer IS NULL) AND (stream IS NULL) = (last_offset IS NULL))
);
CREATE INDEX ingestion_batches_finished ON analytics.ingestion_batches (finished_at);

-- Invalid events: the original payload and why, never silently dropped.
CREATE TABLE analytics.dead_letters (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at   timestamptz NOT NULL,
    error_codes   text[]      NOT NULL CHECK (cardinality(error_codes) > 0),
    payload       text        NOT NULL,
    source        text        NOT NULL,
    stream        text,
    stream_offset bigint,
    batch_id      uuid
);
CREATE INDEX dead_letters_received ON analytics.dead_letters (received_at);

-- Where each stream consumer resumes (stored offset + 1). Written in the same transaction as the rows.
CREATE TABLE analytics.stream_offsets (
    stream      text        NOT NULL,
    consumer    text        NOT NULL,
    last_offset bigint      NOT NULL CHECK (last_offset >= 0),
    updated_at  timestamptz NOT NULL,
    CONSTRAINT stream_offsets_pk PRIMARY KEY (stream, consumer)
);

-- Hourly buckets that ingest touched and the rollup step has not recomputed yet.
CREATE TABLE analytics.dirty_hours (
    org_id       uuid        NOT NULL,
    bucket_start timestamptz NOT NULL,
    CONSTRAINT dirty_hours_pk PRIMARY KEY (org_id, bucket_start)
);
