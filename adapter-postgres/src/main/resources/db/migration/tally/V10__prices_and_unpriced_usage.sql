-- Issue 13: events without a cost are stored as sent and priced by the rollup; prices are managed entries with
-- per-organisation overrides, a source and a time.

-- costMicros is stored only when the client sent it (the client's cost wins over the price book). NULL means
-- "price me from the book": the rollup computes the cost at refresh time, so a price added or corrected later
-- re-prices the event without re-ingesting it. Rows written before V10 were priced at ingest and keep that cost
-- as if the client had sent it: nothing in them says which of them the book priced.
ALTER TABLE analytics.usage_events ALTER COLUMN cost_micros DROP NOT NULL;
ALTER TABLE analytics.usage_event_conflicts ALTER COLUMN cost_micros DROP NOT NULL;

-- Events whose cost is unknown (no cost sent, no price in force): counted next to the cost, so a total cost is
-- never silently understated. Every row before V10 had a cost, hence the default.
ALTER TABLE analytics.usage_rollup_hourly
    ADD COLUMN unpriced_requests bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT usage_rollup_hourly_unpriced CHECK (unpriced_requests BETWEEN 0 AND requests);
ALTER TABLE analytics.usage_rollup_daily
    ADD COLUMN unpriced_requests bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT usage_rollup_daily_unpriced CHECK (unpriced_requests BETWEEN 0 AND requests);

-- A price entry is a list price (org_id NULL) or an organisation's override; one entry per
-- (model, organisation or none, effective_from). The bounds are ModelPrice's (core.pricing).
ALTER TABLE analytics.price_book DROP CONSTRAINT price_book_pk;
ALTER TABLE analytics.price_book
    ADD COLUMN org_id      uuid,
    ADD COLUMN source      text        NOT NULL DEFAULT 'before-v10',
    ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT price_book_amounts CHECK (input_micros_per_million <= 1000000000000
                                             AND output_micros_per_million <= 1000000000000);
ALTER TABLE analytics.price_book ALTER COLUMN source DROP DEFAULT;
ALTER TABLE analytics.price_book ALTER COLUMN recorded_at DROP DEFAULT;
CREATE UNIQUE INDEX price_book_key ON analytics.price_book
    (model_id, coalesce(org_id, '00000000-0000-0000-0000-000000000000'::uuid), effective_from);
