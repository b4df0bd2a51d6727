-- Incremental rollups per (org, model, bucket); latency_sketch is a serialized mergeable sketch.
CREATE TABLE analytics.usage_rollup_hourly (
    org_id         uuid        NOT NULL,
    model_id       text        NOT NULL,
    bucket_start   timestamptz NOT NULL,
    requests       bigint      NOT NULL,
    errors         bigint      NOT NULL,
    input_tokens   bigint      NOT NULL,
    output_tokens  bigint      NOT NULL,
    cost_micros    bigint      NOT NULL,
    latency_sketch bytea       NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT usage_rollup_hourly_pk PRIMARY KEY (org_id, model_id, bucket_start),
    CHECK (errors <= requests)
);
-- The usage and reliability APIs read one org, all models, over a time range.
CREATE INDEX usage_rollup_hourly_org_time ON analytics.usage_rollup_hourly (org_id, bucket_start);

CREATE TABLE analytics.usage_rollup_daily (
    org_id         uuid        NOT NULL,
    model_id       text        NOT NULL,
    bucket_start   timestamptz NOT NULL,
    requests       bigint      NOT NULL,
    errors         bigint      NOT NULL,
    input_tokens   bigint      NOT NULL,
    output_tokens  bigint      NOT NULL,
    cost_micros    bigint      NOT NULL,
    latency_sketch bytea       NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT usage_rollup_daily_pk PRIMARY KEY (org_id, model_id, bucket_start),
    CHECK (errors <= requests)
);
CREATE INDEX usage_rollup_daily_org_time ON analytics.usage_rollup_daily (org_id, bucket_start);

-- What the rollups include, per org: last_rollup_at is when the step ran, watermark is the ingest time up to
-- which every event of the org is reflected in the rollups.
CREATE TABLE analytics.freshness_watermarks (
    org_id         uuid        PRIMARY KEY,
    last_rollup_at timestamptz NOT NULL,
    watermark      timestamptz NOT NULL
);
