package io.tally.analytics.adapter.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Strategies A and B: the whole batch reaches the server first (COPY into a temp table, or arrays), then one
 * statement claims the keys and inserts the claimed events with {@code INSERT ... SELECT}.
 */
final class StagedIngest implements IngestStrategy {

  // Claim keys, insert the events whose key we claimed, and hand back the ords of every input row that was
  // not inserted (in-batch repeats and keys someone else owns) so that only those are checked for conflicts.
  private static final String APPLY =
      """
      WITH %s,
      new_keys AS (
          INSERT INTO analytics.usage_event_keys (org_id, event_id, occurred_at, fingerprint)
          SELECT org_id, event_id, occurred_at, fingerprint
            FROM input
           WHERE NOT repeat
           ORDER BY ord
          ON CONFLICT DO NOTHING
          RETURNING org_id, event_id),
      events AS (
          INSERT INTO analytics.usage_events (org_id, event_id, occurred_at, model_id, actor_id, api_key_id,
                 input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region,
                 fingerprint, batch_id, ingested_at)
          SELECT s.org_id, s.event_id, s.occurred_at, s.model_id, s.actor_id, s.api_key_id,
                 s.input_tokens, s.output_tokens, s.cost_micros, s.latency_ms, s.status, s.error_code, s.region,
                 s.fingerprint, ?::uuid, ?::timestamptz
            FROM input s
            JOIN new_keys k ON k.org_id = s.org_id AND k.event_id = s.event_id
           WHERE NOT s.repeat
          RETURNING 1)
      SELECT (SELECT count(*) FROM events)::int,
             ARRAY(SELECT s.ord
                     FROM input s
                     LEFT JOIN new_keys k ON k.org_id = s.org_id AND k.event_id = s.event_id AND NOT s.repeat
                    WHERE k.org_id IS NULL
                    ORDER BY s.ord)
      """;

  // Batch-sized joins of in-memory sets: hash joins. Without statistics on the input the planner guesses
  // ~100 rows and may pick a nested loop that is quadratic in the batch size; it only holds for APPLY.
  private static final String HASH_JOINS_ONLY =
      "SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off";
  private static final String PLANNER_DEFAULTS = "RESET enable_nestloop; RESET enable_mergejoin";

  private final StagingLoader loader;

  StagedIngest(StagingLoader loader) {
    this.loader = loader;
  }

  @Override
  public String name() {
    return loader.name();
  }

  @Override
  public Claimed claimAndInsert(Handle h, UsageBatchAppender.Staged staged, UUID batchId, OffsetDateTime now) {
    StagingLoader.Input input = loader.stage(h, staged.rows(), staged.repeat());
    h.execute(HASH_JOINS_ONLY);
    Claimed claimed = claim(h, input, batchId, now);
    h.execute(PLANNER_DEFAULTS);
    return claimed;
  }

  private static Claimed claim(Handle h, StagingLoader.Input input, UUID batchId, OffsetDateTime now) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(APPLY.formatted(input.cte()))) {
      int i = UsageBatchAppender.bindAll(ps, input.parameters());
      ps.setObject(i++, batchId);
      ps.setObject(i, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Claimed(rs.getInt(1), IngestStrategy.ints(rs.getArray(2)));
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("usage batch append failed", e);
    }
  }
}
