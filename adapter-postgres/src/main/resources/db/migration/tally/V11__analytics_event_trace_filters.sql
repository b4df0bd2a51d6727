-- Issue 14: the AN-01 query filters project_id, request_id, run_id and step_id. A request or run id picks out a
-- handful of events, so an index on (tenant, id) answers the filter; project_id is a coarse filter used with a
-- time range, so it gets time like the other dashboard filters of V4.
CREATE INDEX analytics_events_tenant_project_time ON analytics.analytics_events (tenant_id, project_id, occurred_at);
CREATE INDEX analytics_events_tenant_request ON analytics.analytics_events (tenant_id, request_id)
  WHERE request_id IS NOT NULL;
CREATE INDEX analytics_events_tenant_run ON analytics.analytics_events (tenant_id, run_id) WHERE run_id IS NOT NULL;
CREATE INDEX analytics_events_tenant_step ON analytics.analytics_events (tenant_id, step_id) WHERE step_id IS NOT NULL;
