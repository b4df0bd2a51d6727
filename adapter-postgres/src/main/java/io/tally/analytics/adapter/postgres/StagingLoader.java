package io.tally.analytics.adapter.postgres;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * How a batch reaches the server: the two implementations are the two ingest strategies the benchmark
 * compares (docs/benchmarks.md). Each turns the batch into a relation named {@code input} with the
 * {@link #STAGE_COLUMNS}; everything after that is the same SQL.
 */
interface StagingLoader {

  /** Columns of the input relation, in the order both loaders send values. */
  String STAGE_COLUMNS =
      "ord, repeat, org_id, event_id, occurred_at, model_id, actor_id, api_key_id, input_tokens,"
          + " output_tokens, cost_micros, latency_ms, status, error_code, region, fingerprint";

  /** Short name printed by the benchmark. */
  String name();

  /**
   * Sends the rows (row i with ord = i and repeat = repeat[i], a later occurrence of a key already earlier
   * in the batch) and returns the CTE that reads them back, with the parameters that CTE binds.
   */
  Input stage(Handle handle, List<UsageEventRow> rows, boolean[] repeat);

  /** A CTE definition ({@code input AS (...)}) and the values of its {@code ?} placeholders, in order. */
  record Input(String cte, List<Object> parameters) {
    public Input {
      parameters = List.copyOf(parameters);
    }
  }
}
