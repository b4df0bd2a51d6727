package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Strategy C, keys first: only the narrow key columns travel first (as arrays) to claim keys; the server
 * answers with the rows it rejected, and the claimed events are then streamed with COPY straight into
 * usage_events. COPY inserts in bulk (multi-row heap inserts, fewer WAL records), which INSERT ... SELECT
 * does not, and no row is written twice.
 */
final class KeysFirstCopyIngest implements IngestStrategy {

  private static final String CLAIM =
      """
      WITH input AS MATERIALIZED (
          SELECT u.ord, u.repeat, u.org_id, u.event_id COLLATE "C" AS event_id, u.occurred_us, u.fingerprint
            FROM unnest(?::int4[], ?::bool[], ?::uuid[], ?::text[], ?::int8[], ?::text[])
                 AS u(ord, repeat, org_id, event_id, occurred_us, fingerprint)),
      new_keys AS (
          INSERT INTO analytics.usage_event_keys (org_id, event_id, occurred_at, fingerprint)
          SELECT org_id, event_id, timestamptz 'epoch' + occurred_us * interval '1 microsecond', fingerprint
            FROM input
           WHERE NOT repeat
           ORDER BY ord
          ON CONFLICT DO NOTHING
          RETURNING org_id, event_id)
      SELECT ARRAY(SELECT s.ord
                     FROM input s
                     LEFT JOIN new_keys k ON k.org_id = s.org_id AND k.event_id = s.event_id AND NOT s.repeat
                    WHERE k.org_id IS NULL
                    ORDER BY s.ord)
      """;

  // Same reason as in StagedIngest: without statistics on the arrays a nested loop could be quadratic.
  private static final String HASH_JOINS_ONLY =
      "SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off";
  private static final String PLANNER_DEFAULTS = "RESET enable_nestloop; RESET enable_mergejoin";

  private static final String COPY =
      "COPY analytics.usage_events (org_id, event_id, occurred_at, model_id, actor_id, api_key_id,"
          + " input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region, fingerprint,"
          + " batch_id, ingested_at) FROM STDIN";

  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public String name() {
    return "keys-copy";
  }

  @Override
  public Claimed claimAndInsert(
      Handle h, UsageBatchAppender.Staged staged, UUID batchId, OffsetDateTime now) {
    int[] rejected = claim(h, staged);
    int inserted = copyClaimed(h, staged.rows(), rejected, batchId, now.toInstant());
    return new Claimed(inserted, rejected);
  }

  private static int[] claim(Handle h, UsageBatchAppender.Staged staged) {
    List<UsageEventRow> rows = staged.rows();
    int n = rows.size();
    int[] ord = new int[n];
    UUID[] org = new UUID[n];
    String[] eventId = new String[n];
    long[] occurredUs = new long[n];
    String[] fingerprint = new String[n];
    for (int i = 0; i < n; i++) {
      UsageEventRow r = rows.get(i);
      ord[i] = i;
      org[i] = r.orgId();
      eventId[i] = r.eventId();
      occurredUs[i] = UnnestStagingLoader.epochMicros(r.occurredAt());
      fingerprint[i] = r.fingerprint();
    }
    h.execute(HASH_JOINS_ONLY);
    try (PreparedStatement ps = h.getConnection().prepareStatement(CLAIM)) {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("int4", ord));
      ps.setArray(2, pg.createArrayOf("bool", staged.repeat()));
      ps.setArray(3, pg.createArrayOf("uuid", org));
      ps.setArray(4, pg.createArrayOf("text", eventId));
      ps.setArray(5, pg.createArrayOf("int8", occurredUs));
      ps.setArray(6, pg.createArrayOf("text", fingerprint));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return IngestStrategy.ints(rs.getArray(1));
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("claiming usage event keys failed", e);
    } finally {
      h.execute(PLANNER_DEFAULTS);
    }
  }

  private static int copyClaimed(
      Handle h, List<UsageEventRow> rows, int[] rejected, UUID batchId, Instant ingestedAt) {
    if (rejected.length == rows.size()) {
      return 0;
    }
    int copied = 0;
    try {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      try (PGCopyOutputStream out = new PGCopyOutputStream(pg, COPY, BUFFER_BYTES)) {
        CopyTextWriter w = new CopyTextWriter(out, BUFFER_BYTES);
        int r = 0;
        for (int i = 0; i < rows.size(); i++) {
          if (r < rejected.length && rejected[r] == i) {
            r++;
            continue;
          }
          UsageEventRow e = rows.get(i);
          w.uuid(e.orgId()).text(e.eventId()).timestamp(e.occurredAt()).text(e.modelId())
              .text(e.actorId()).text(e.apiKeyId()).number(e.inputTokens()).number(e.outputTokens())
              .number(e.costMicros()).number(e.latencyMs()).text(e.status()).text(e.errorCode())
              .text(e.region()).text(e.fingerprint()).uuid(batchId).timestamp(ingestedAt);
          w.endRow();
          copied++;
        }
        w.flush();
      }
    } catch (SQLException | IOException e) {
      throw new PostgresAdapterException("COPY into usage_events failed", e);
    }
    return copied;
  }
}
