package io.tally.analytics.adapter.postgres;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Moves a batch into the session's temporary staging table; the two implementations are the two ingest
 * strategies the benchmark compares (see docs/benchmarks.md). Everything after staging is shared SQL.
 */
interface StagingLoader {

  /** Column list of pg_temp.usage_stage, in the order both loaders send values. */
  String STAGE_COLUMNS =
      "ord, org_id, event_id, occurred_at, model_id, actor_id, api_key_id, input_tokens, output_tokens,"
          + " cost_micros, latency_ms, status, error_code, region, fingerprint";

  /** Short name printed by the benchmark. */
  String name();

  /** Loads rows into pg_temp.usage_stage (which exists and is empty), row i with ord = i. */
  void load(Handle handle, List<UsageEventRow> rows);
}
