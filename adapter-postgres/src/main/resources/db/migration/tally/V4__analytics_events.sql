-- The postgres backend of the routed AN-01 event store. Text the store orders or groups by is COLLATE "C" so
-- pages and groups come in Java's String order (AnalyticsEvent.STORE_ORDER, EventAggregator).
CREATE TABLE analytics.analytics_events (
    tenant_id    text COLLATE "C" NOT NULL,
    event_id     text COLLATE "C" NOT NULL,
    project_id   text COLLATE "C" NOT NULL,
    event_type   text COLLATE "C" NOT NULL,
    occurred_at  timestamptz NOT NULL,
    user_id      text COLLATE "C",
    request_id   text COLLATE "C",
    run_id       text COLLATE "C",
    step_id      text COLLATE "C",
    utm_source   text COLLATE "C",
    utm_medium   text COLLATE "C",
    utm_campaign text COLLATE "C",
    utm_content  text COLLATE "C",
    utm_term     text COLLATE "C",
    app          text COLLATE "C",
    surface      text COLLATE "C",
    platform     text COLLATE "C",
    session_id   text COLLATE "C",
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object'),
    received_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT analytics_events_pk PRIMARY KEY (tenant_id, event_id)
);
-- Pages walk (tenant, occurred_at, event_id): the keyset cursor is a seek on this index.
CREATE INDEX analytics_events_tenant_time ON analytics.analytics_events (tenant_id, occurred_at, event_id);
-- The filters dashboards use most, each with time so a filtered range is one index range.
CREATE INDEX analytics_events_tenant_type_time ON analytics.analytics_events (tenant_id, event_type, occurred_at);
CREATE INDEX analytics_events_tenant_source_time ON analytics.analytics_events (tenant_id, utm_source, occurred_at);
CREATE INDEX analytics_events_tenant_campaign_time ON analytics.analytics_events (tenant_id, utm_campaign, occurred_at)
    WHERE utm_campaign IS NOT NULL;
CREATE INDEX analytics_events_tenant_surface_time ON analytics.analytics_events (tenant_id, surface, occurred_at);
-- GDPR deletion and per-user lookups.
CREATE INDEX analytics_events_tenant_user ON analytics.analytics_events (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX analytics_events_tenant_session ON analytics.analytics_events (tenant_id, session_id)
    WHERE session_id IS NOT NULL;
