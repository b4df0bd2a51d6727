package io.tally.analytics.app;

import io.tally.analytics.adapter.postgres.PartitionMaintainer;
import io.tally.analytics.core.usage.EventTimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Puts many raw usage events straight into {@code analytics.usage_events} with one {@code INSERT … SELECT
 * generate_series} per chunk: the export tests and the export benchmark need a million rows in seconds, and what
 * they read is the raw table only (no rollup, no dedup keys). Rows are spread evenly over {@code span} from
 * {@code start}, three models, 1 in 31 an error; event ids are {@code ev-<n>} zero-padded so id order is time order.
 */
final class RawEventLoader {
  private static final int CHUNK = 250_000;
  private static final String INSERT = """
      INSERT INTO analytics.usage_events (org_id, event_id, occurred_at, model_id, actor_id, api_key_id,
          input_tokens, output_tokens, cost_micros, latency_ms, status, error_code, region, fingerprint, batch_id,
          ingested_at)
      SELECT :org, 'ev-' || lpad(g::text, 9, '0'), :start + (g * :stepMicros) * interval '1 microsecond',
             (ARRAY['llama-3-70b', 'mistral-7b', 'gpt-4o-mini'])[1 + g % 3], NULL, 'key_' || (g % 40),
             100 + g % 900, 50 + g % 400, (100 + g % 900) * 3 + (50 + g % 400) * 5, 5 + g % 2000,
             CASE WHEN g % 31 = 0 THEN 'error' ELSE 'success' END,
             CASE WHEN g % 31 = 0 THEN 'upstream_timeout' END, 'us-east', md5(g::text) || md5(g::text), :batch, now()
        FROM generate_series(:from, :to - 1) g""";

  private RawEventLoader() {}

  /** @return a Jdbi on a database the server has migrated */
  static Jdbi jdbi(String databaseName) {
    return Jdbi.create("jdbc:postgresql://127.0.0.1:5432/" + databaseName + "?user=postgres");
  }

  static void load(Jdbi jdbi, UUID org, Instant start, Duration span, int rows) {
    LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(start.plus(span), ZoneOffset.UTC);
    new PartitionMaintainer(jdbi, EventTimeWindow.defaults(), Instant::now).ensureRange(first, last.plusDays(1));
    long stepMicros = Math.max(1, span.toNanos() / 1_000 / rows);
    UUID batch = UUID.randomUUID();
    for (int from = 0; from < rows; from += CHUNK) {
      int to = Math.min(rows, from + CHUNK);
      int chunkFrom = from;
      jdbi.useHandle(h -> h.createUpdate(INSERT).bind("org", org)
          .bind("start", OffsetDateTime.ofInstant(start, ZoneOffset.UTC)).bind("stepMicros", stepMicros)
          .bind("batch", batch).bind("from", chunkFrom).bind("to", to).execute());
    }
    jdbi.useHandle(h -> h.execute("ANALYZE analytics.usage_events"));
  }
}
