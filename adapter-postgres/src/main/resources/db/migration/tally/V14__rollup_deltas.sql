-- Incremental rollup (issue 12c). An append writes, in its own transaction, the rollup of the events it inserted
-- per (org, model, hour): one delta row per group, priced per event by the book of that transaction. A refresh
-- merges an hour's deltas into its stored hourly rollups instead of re-reading every raw event of the hour.
-- Invariant (PostgresRollupStore): for every hour without a full mark, stored hourly rollup + its deltas = the
-- rollup of its raw events under the current book.
CREATE TABLE analytics.usage_rollup_deltas (
    id                bigint      GENERATED ALWAYS AS IDENTITY,
    org_id            uuid        NOT NULL,
    model_id          text        NOT NULL,
    bucket_start      timestamptz NOT NULL,
    requests          bigint      NOT NULL,
    errors            bigint      NOT NULL,
    input_tokens      bigint      NOT NULL,
    output_tokens     bigint      NOT NULL,
    cost_micros       bigint      NOT NULL,
    unpriced_requests bigint      NOT NULL,
    latency_sketch    bytea       NOT NULL
);
-- A refresh deletes the deltas of the (org, hour)s it claimed.
CREATE INDEX usage_rollup_deltas_org_hour ON analytics.usage_rollup_deltas (org_id, bucket_start);

-- full_recompute: the hour must be recomputed from its raw events (a price change re-priced it, `tally rollup --refresh`
-- forced it, or it was marked before this migration, when no deltas were written). An append marks its hours
-- false and leaves an existing mark's flag as it is. Existing marks become full.
ALTER TABLE analytics.dirty_hours ADD COLUMN full_recompute boolean NOT NULL DEFAULT true;

-- The price book's version: appends price their deltas by a cached book and reload it only when this moved.
-- Bumped by a trigger, so every writer of price_book moves it.
CREATE TABLE analytics.price_book_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL
);
INSERT INTO analytics.price_book_version (singleton, version) VALUES (true, 0);

CREATE FUNCTION analytics.bump_price_book_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE analytics.price_book_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER price_book_version_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON analytics.price_book
    FOR EACH STATEMENT EXECUTE FUNCTION analytics.bump_price_book_version();
