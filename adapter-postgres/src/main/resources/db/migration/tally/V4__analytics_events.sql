-- The postgres backend of the routed analytics event store (AN-01).
CREATE TABLE analytics.analytics_events (
    tenant_id    text        NOT NULL,
    event_id     text        NOT NULL,
    env          text        NOT NULL DEFAULT '',
    event_type   text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    project_id   text,
    user_id      text,
    request_id   text,
    run_id       text,
    step_id      text,
    utm_source   text,
    utm_medium   text,
    utm_campaign text,
    utm_content  text,
    utm_term     text,
    app          text,
    surface      text,
    platform     text,
    session_id   text,
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT analytics_events_pk PRIMARY KEY (tenant_id, event_id)
);
-- Query pages by (tenant, time); the filters and group-bys the API offers get their own tenant+time index.
CREATE INDEX analytics_events_tenant_time ON analytics.analytics_events (tenant_id, occurred_at, event_id);
CREATE INDEX analytics_events_tenant_type_time ON analytics.analytics_events (tenant_id, event_type, occurred_at);
CREATE INDEX analytics_events_tenant_utm_time ON analytics.analytics_events (tenant_id, utm_source, utm_campaign, occurred_at);
CREATE INDEX analytics_events_tenant_surface_time ON analytics.analytics_events (tenant_id, app, surface, occurred_at);
-- GDPR deletion by user.
CREATE INDEX analytics_events_tenant_user ON analytics.analytics_events (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX analytics_events_payload ON analytics.analytics_events USING gin (payload jsonb_path_ops);
