package io.tally.analytics.adapter.postgres;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * Strategy B: no staging table at all. The batch travels as one array parameter per column and is
 * unnested inside the statement that claims keys and inserts events, so a batch is a single round trip
 * with 16 parameters however many rows it has.
 */
final class UnnestStagingLoader implements StagingLoader {

  // occurred_at travels as epoch microseconds: exact, and int8[] is the cheapest array to encode.
  private static final String CTE =
      """
      input AS MATERIALIZED (
          SELECT u.ord, u.repeat, u.org_id, u.event_id COLLATE "C" AS event_id,
                 timestamptz 'epoch' + u.occurred_us * interval '1 microsecond' AS occurred_at,
                 u.model_id, u.actor_id, u.api_key_id, u.input_tokens, u.output_tokens,
                 nullif(u.cost_micros, -1) AS cost_micros, u.latency_ms, u.status, u.error_code, u.region,
                 u.fingerprint
            FROM unnest(?::int4[], ?::bool[], ?::uuid[], ?::text[], ?::int8[], ?::text[], ?::text[],
                        ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[], ?::text[],
                        ?::text[], ?::text[])
                 AS u(ord, repeat, org_id, event_id, occurred_us, model_id, actor_id, api_key_id,
                      input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region,
                      fingerprint))
      """;

  // A cost is never negative, so -1 stands for "none" and the batch keeps travelling as a primitive int8[].
  private static final long NO_COST = -1;

  @Override
  public String name() {
    return "unnest";
  }

  @Override
  public Input stage(Handle handle, List<UsageEventRow> rows, boolean[] repeat) {
    int[] ord = new int[rows.size()];
    for (int i = 0; i < ord.length; i++) {
      ord[i] = i;
    }
    return arrays(handle, rows, ord, repeat);
  }

  /** The CTE for an arbitrary subset of staged rows, keeping their original ords. */
  static Input arrays(Handle handle, List<UsageEventRow> rows, int[] ord, boolean[] repeat) {
    int n = rows.size();
    UUID[] org = new UUID[n];
    String[] eventId = new String[n];
    long[] occurredUs = new long[n];
    String[] model = new String[n];
    String[] actor = new String[n];
    String[] apiKey = new String[n];
    long[] input = new long[n];
    long[] output = new long[n];
    long[] cost = new long[n];
    long[] latency = new long[n];
    String[] status = new String[n];
    String[] errorCode = new String[n];
    String[] region = new String[n];
    String[] fingerprint = new String[n];
    for (int i = 0; i < n; i++) {
      UsageEventRow r = rows.get(i);
      org[i] = r.orgId();
      eventId[i] = r.eventId();
      occurredUs[i] = epochMicros(r.occurredAt());
      model[i] = r.modelId();
      actor[i] = r.actorId();
      apiKey[i] = r.apiKeyId();
      input[i] = r.inputTokens();
      output[i] = r.outputTokens();
      cost[i] = r.costMicros() == null ? NO_COST : r.costMicros();
      latency[i] = r.latencyMs();
      status[i] = r.status();
      errorCode[i] = r.errorCode();
      region[i] = r.region();
      fingerprint[i] = r.fingerprint();
    }
    try {
      // PGConnection's variant takes primitive arrays, which spares boxing a million longs.
      PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
      return new Input(
          CTE,
          List.of(
              pg.createArrayOf("int4", ord),
              pg.createArrayOf("bool", repeat),
              pg.createArrayOf("uuid", org),
              pg.createArrayOf("text", eventId),
              pg.createArrayOf("int8", occurredUs),
              pg.createArrayOf("text", model),
              pg.createArrayOf("text", actor),
              pg.createArrayOf("text", apiKey),
              pg.createArrayOf("int8", input),
              pg.createArrayOf("int8", output),
              pg.createArrayOf("int8", cost),
              pg.createArrayOf("int8", latency),
              pg.createArrayOf("text", status),
              pg.createArrayOf("text", errorCode),
              pg.createArrayOf("text", region),
              pg.createArrayOf("text", fingerprint)));
    } catch (SQLException e) {
      throw new PostgresAdapterException("could not encode the batch as arrays", e);
    }
  }

  static long epochMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }
}
