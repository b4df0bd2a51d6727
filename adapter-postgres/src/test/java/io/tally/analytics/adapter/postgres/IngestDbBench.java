package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * {@code scripts/bench ingest-db}: times each idempotent append strategy against plain COPY of the same
 * rows into an identical table without keys, indexes or checks, each in a fresh migrated database on the
 * local server. Single writer, as one stream consumer is. Prints one machine-readable BENCH line last.
 *
 * <p>Arguments: {@code --rows N} (default 1,000,000), {@code --batch N} (10,000), {@code --seed N} (42),
 * {@code --rounds N} (3).
 */
public final class IngestDbBench {

  private static final String REFERENCE_TABLE =
      """
      CREATE TABLE analytics.usage_events_reference (LIKE analytics.usage_events) PARTITION BY RANGE (occurred_at)
      """;

  public static void main(String[] args) throws Exception {
    int rows = intArg(args, "--rows", 1_000_000);
    int batchSize = intArg(args, "--batch", 10_000);
    long seed = intArg(args, "--seed", 42);
    int rounds = intArg(args, "--rounds", 3);

    long g0 = System.nanoTime();
    BenchEvents.Generated generated = BenchEvents.generate(rows, seed);
    List<List<UsageEventRow>> batches = split(generated.rows(), batchSize);
    say("generated %,d events (%,d resends, seed %d) in %.1f s; %d batches of %,d; %d rounds",
        rows, generated.duplicates(), seed, secs(System.nanoTime() - g0), batches.size(), batchSize, rounds);

    // Interleaved rounds, each strategy compared with the COPY of its own round: on a shared machine the
    // absolute rates drift with the neighbours' load, the ratio within one round much less.
    List<StagingLoader> strategies = List.of(new CopyStagingLoader(), new UnnestStagingLoader());
    List<Double> copyRates = new ArrayList<>();
    java.util.Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
    java.util.Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      double copyRate = timeReferenceCopy(batches, rows);
      copyRates.add(copyRate);
      say("round %d: plain COPY into an unconstrained identical table: %,.0f rows/s", round, copyRate);
      for (StagingLoader loader : strategies) {
        double rate = timeStrategy(loader, batches, rows, generated.duplicates());
        rates.computeIfAbsent(loader.name(), k -> new ArrayList<>()).add(rate);
        ratios.computeIfAbsent(loader.name(), k -> new ArrayList<>()).add(rate / copyRate);
        say("round %d: strategy %-7s %,.0f rows/s  (%.3f of plain COPY)", round, loader.name(), rate, rate / copyRate);
      }
    }
    String best = null;
    for (String name : rates.keySet()) {
      say("median over %d rounds: %-7s %,.0f rows/s, ratio %.3f", rounds, name, median(rates.get(name)), median(ratios.get(name)));
      if (best == null || median(ratios.get(name)) > median(ratios.get(best))) {
        best = name;
      }
    }
    say("median plain COPY: %,.0f rows/s; fastest idempotent strategy: %s", median(copyRates), best);
    System.out.printf(Locale.ROOT,
        "BENCH ingest-db rows=%d batch=%d rounds=%d strategy=%s rate=%.0f copy_rate=%.0f ratio=%.3f%n",
        rows, batchSize, rounds, best, median(rates.get(best)), median(copyRates), median(ratios.get(best)));
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    java.util.Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double timeStrategy(
      StagingLoader loader, List<List<UsageEventRow>> batches, int rows, int expectedDuplicates)
      throws SQLException {
    String db = TestDatabases.create("bench_" + loader.name());
    try {
      Jdbi jdbi = prepared(db);
      PartitionMaintainer partitions = new PartitionMaintainer(jdbi);
      partitions.ensureRange(day(BenchEvents.START), day(BenchEvents.START).plusDays(BenchEvents.DAYS + 1));
      Instant fixed = Instant.parse("2026-10-01T00:00:00Z");
      UsageBatchAppender appender = new UsageBatchAppender(jdbi, loader, partitions, () -> fixed);
      long inserted = 0;
      long duplicates = 0;
      long conflicts = 0;
      long t0;
      long elapsed;
      try (Handle h = jdbi.open()) {
        t0 = System.nanoTime();
        long offset = 0;
        for (List<UsageEventRow> batch : batches) {
          offset += batch.size();
          AppendOutcome o =
              appender.append(
                  h,
                  new UsageBatch(
                      UUID.randomUUID(),
                      "stream",
                      Optional.of(new StreamPosition("analytics.usage.v1", "bench", offset - 1)),
                      Optional.empty(),
                      batch));
          inserted += o.inserted();
          duplicates += o.duplicates();
          conflicts += o.conflicts();
        }
        elapsed = System.nanoTime() - t0;
      }
      say("  trace stage=%.2f apply=%.2f dirty=%.2f conflicts=%.2f", UsageBatchAppender.TRACE[0] / 1e9, UsageBatchAppender.TRACE[1] / 1e9, UsageBatchAppender.TRACE[2] / 1e9, UsageBatchAppender.TRACE[3] / 1e9);
      java.util.Arrays.fill(UsageBatchAppender.TRACE, 0);
      say("  %s: inserted=%,d duplicates=%,d conflicts=%,d in %.2f s", loader.name(), inserted,
          duplicates, conflicts, secs(elapsed));
      if (inserted != rows - expectedDuplicates || duplicates != expectedDuplicates || conflicts != 0) {
        throw new IllegalStateException("counts are not exact: expected duplicates=" + expectedDuplicates);
      }
      return rows / secs(elapsed);
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static double timeReferenceCopy(List<List<UsageEventRow>> batches, int rows)
      throws SQLException, IOException {
    String db = TestDatabases.create("bench_reference_copy");
    try {
      Jdbi jdbi = prepared(db);
      try (Handle h = jdbi.open()) {
        h.execute(REFERENCE_TABLE);
        LocalDate first = day(BenchEvents.START);
        for (LocalDate d = first; d.isBefore(first.plusDays(BenchEvents.DAYS + 1)); d = d.plusDays(1)) {
          h.execute(PartitionMaintainer.createStatement(d)
              .replace("usage_events_p", "usage_events_reference_p")
              .replace("PARTITION OF analytics.usage_events ", "PARTITION OF analytics.usage_events_reference "));
        }
        PGConnection pg = h.getConnection().unwrap(PGConnection.class);
        String copy =
            "COPY analytics.usage_events_reference (org_id, event_id, occurred_at, model_id, actor_id,"
                + " api_key_id, input_tokens, output_tokens, cost_micros, latency_ms, status, error_code,"
                + " region, fingerprint, batch_id, ingested_at) FROM STDIN";
        String ingestedAt = "2026-10-01T00:00:00Z";
        long t0 = System.nanoTime();
        for (List<UsageEventRow> batch : batches) {
          UUID batchId = UUID.randomUUID();
          // Autocommit: one COPY = one transaction per batch, like the appender's one commit per batch.
          try (PGCopyOutputStream out = new PGCopyOutputStream(pg, copy, 64 * 1024)) {
            CopyTextWriter w = new CopyTextWriter(out, 64 * 1024);
            for (UsageEventRow r : batch) {
              w.uuid(r.orgId()).text(r.eventId()).timestamp(r.occurredAt()).text(r.modelId())
                  .text(r.actorId()).text(r.apiKeyId()).number(r.inputTokens()).number(r.outputTokens())
                  .number(r.costMicros()).number(r.latencyMs()).text(r.status()).text(r.errorCode())
                  .text(r.region()).text(r.fingerprint()).uuid(batchId).text(ingestedAt);
              w.endRow();
            }
            w.flush();
          }
        }
        long elapsed = System.nanoTime() - t0;
        long stored = h.createQuery("SELECT count(*) FROM analytics.usage_events_reference").mapTo(Long.class).one();
        say("  reference COPY: %,d rows in %.2f s", stored, secs(elapsed));
        return rows / secs(elapsed);
      }
    } finally {
      TestDatabases.drop(db);
    }
  }

  private static Jdbi prepared(String db) {
    var ds = TestDatabases.dataSource(db);
    PostgresMigrator.migrate(ds);
    return Jdbi.create(ds).installPlugin(new PostgresPlugin());
  }

  private static List<List<UsageEventRow>> split(List<UsageEventRow> rows, int size) {
    List<List<UsageEventRow>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += size) {
      out.add(rows.subList(i, Math.min(rows.size(), i + size)));
    }
    return out;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1].replace("_", ""));
      }
    }
    return dflt;
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }

  private static void say(String fmt, Object... args) {
    System.out.println("[ingest-db] " + String.format(Locale.ROOT, fmt, args));
  }

  private IngestDbBench() {}
}
