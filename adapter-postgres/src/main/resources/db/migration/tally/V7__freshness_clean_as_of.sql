-- Every rollup run used to upsert a watermark row for every organisation without a dirty hour, one write per
-- organisation per run (10,000 orgs at a 1 s interval: 10,000 row writes a second, most of them no-news). The
-- run now writes one row: the instant as of which every organisation without a dirty hour is reflected in full.
-- A reader takes, for a clean organisation, the later of its own row and this one; for a dirty organisation
-- its own row only. Rows per organisation are still written when a run refreshes that organisation's hours.
CREATE TABLE analytics.freshness_clean_as_of (
    singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    last_rollup_at timestamptz NOT NULL
);
