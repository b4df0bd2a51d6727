package io.tally.analytics.ports.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.TimeWindow;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The acceptance fixture of {@code shared/data/golden} (DESIGN.md §5): its events as wire candidates, its
 * expected answers, and the checks every ingest path must pass. Adapter integration tests reuse it:
 * ingest with {@link #ingestInBatches}, roll up, then {@link #verifyUsage} and {@link #verifyReliability}.
 *
 * <p>The directory comes from the system property {@code tally.golden.dir}, or is found by walking up from the
 * working directory looking for {@code shared/data/golden}. Timestamps are in October 2026, so ingest with a
 * clock at {@link #INGEST_CLOCK}, not the wall clock.
 */
public final class GoldenDataset {
  /** A clock for ingesting the fixture: after its last event, so no event is "in the future". */
  public static final Instant INGEST_CLOCK = Instant.parse("2026-11-01T00:00:00Z");

  private final List<UsageEventCandidate> candidates;
  private final Expected expected;

  private GoldenDataset(List<UsageEventCandidate> candidates, Expected expected) {
    this.candidates = candidates;
    this.expected = expected;
  }

  /** @return the fixture, read from disk */
  public static GoldenDataset load() {
    File dir = locate();
    List<UsageEventCandidate> candidates = new ArrayList<>();
    for (String line : readLines(new File(dir, "events.jsonl"))) {
      if (!line.isBlank()) {
        candidates.add(UsageEventCandidate.fromWireFields(MiniJson.flatObject(line), Optional.of(line)));
      }
    }
    String expectedText = String.join("\n", readLines(new File(dir, "expected.json")));
    return new GoldenDataset(List.copyOf(candidates), Expected.parse(MiniJson.parse(expectedText)));
  }

  /** @return the fixture's directory */
  public static File locate() {
    String configured = System.getProperty("tally.golden.dir");
    if (configured != null) {
      return new File(configured);
    }
    for (File dir = new File(System.getProperty("user.dir")).getAbsoluteFile(); dir != null;
        dir = dir.getParentFile()) {
      File candidate = new File(dir, "shared/data/golden");
      if (new File(candidate, "events.jsonl").isFile()) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/golden not found above " + System.getProperty("user.dir")
        + "; set -Dtally.golden.dir");
  }

  /** @return every event of the file, in arrival order, with its raw line as payload */
  public List<UsageEventCandidate> candidates() {
    return candidates;
  }

  /** @return every line of events.jsonl, in order (what a stream or HTTP client would send) */
  public List<String> rawLines() {
    return candidates.stream().map(c -> c.rawPayload().orElseThrow()).toList();
  }

  /** @return the expected answers */
  public Expected expected() {
    return expected;
  }

  /**
   * Ingests the whole file in order.
   *
   * @param ingest the ingest path under test
   * @param actor an actor allowed to write every organisation of the file
   * @param batchSize events per batch
   * @return summed outcomes
   */
  public IngestCounts ingestInBatches(IngestUsageBatch ingest, Actor actor, int batchSize) {
    IngestCounts counts = new IngestCounts(0, 0, 0, 0);
    for (int from = 0, n = 0; from < candidates.size(); from += batchSize, n++) {
      List<UsageEventCandidate> batch = candidates.subList(from, Math.min(candidates.size(), from + batchSize));
      IngestUsageBatch.IngestReport report = ingest.ingest(new IngestUsageBatch.IngestCommand(actor,
          "golden-" + n, IngestSource.direct(), batch));
      counts = counts.plus(new IngestCounts(report.accepted(), report.duplicates(), report.conflicts(),
          report.rejected()));
    }
    return counts;
  }

  /** Asserts the ingest counts of the file. */
  public void verifyCounts(IngestCounts counts) {
    assertThat(counts).isEqualTo(new IngestCounts(expected.uniqueValid, expected.duplicates, expected.conflicts,
        expected.invalid));
  }

  /** Asserts per-org totals and per (org, model, day) numbers, exactly, for both groupings. */
  public void verifyUsage(QueryUsage usage, Actor actor) {
    TimeWindow window = new TimeWindow(expected.start, expected.end);
    for (UUID org : expected.orgs) {
      QueryUsage.UsageReport report = usage.query(new QueryUsage.UsageQuery(actor, org, Granularity.DAILY, window,
          Optional.empty(), GroupBy.MODEL));
      assertThat(report.totals()).as("totals of %s", org).isEqualTo(expected.totals.get(org));
      List<QueryUsage.UsagePoint> expectedSeries = expected.daily.stream().filter(d -> d.orgId.equals(org))
          .map(d -> new QueryUsage.UsagePoint(d.day, Optional.of(d.modelId), d.totals)).toList();
      assertThat(report.series()).as("daily series of %s", org).containsExactlyElementsOf(expectedSeries);
      QueryUsage.UsageReport merged = usage.query(new QueryUsage.UsageQuery(actor, org, Granularity.DAILY, window,
          Optional.empty(), GroupBy.NONE));
      assertThat(merged.totals()).isEqualTo(expected.totals.get(org));
      assertThat(merged.series()).hasSize(7);
      QueryUsage.UsageReport hourly = usage.query(new QueryUsage.UsageQuery(actor, org, Granularity.HOURLY,
          window, Optional.empty(), GroupBy.NONE));
      assertThat(hourly.totals()).as("hourly totals of %s", org).isEqualTo(expected.totals.get(org));
    }
  }

  /**
   * Asserts request and error counts and percentiles: with the sketch method by the bracket rule at the
   * sketch's relative accuracy, with the exact method equal to PostgreSQL's {@code percentile_cont}.
   */
  public void verifyReliability(QueryReliability reliability, Actor actor, QueryReliability.PercentileMethod method) {
    TimeWindow window = new TimeWindow(expected.start, expected.end);
    double alpha = LatencySketch.RELATIVE_ACCURACY;
    for (UUID org : expected.orgs) {
      QueryReliability.ReliabilityReport report = reliability.query(new QueryReliability.ReliabilityQuery(actor,
          org, Granularity.DAILY, window, Optional.empty(), GroupBy.MODEL, List.of(50.0, 95.0, 99.0), method));
      List<DailyExpectation> rows = expected.daily.stream().filter(d -> d.orgId.equals(org)).toList();
      assertThat(report.series()).hasSameSizeAs(rows);
      for (int i = 0; i < rows.size(); i++) {
        DailyExpectation want = rows.get(i);
        QueryReliability.ReliabilityPoint got = report.series().get(i);
        assertThat(got.bucketStart()).isEqualTo(want.day);
        assertThat(got.modelId()).contains(want.modelId);
        assertThat(got.requests()).isEqualTo(want.totals.requests());
        assertThat(got.errors()).isEqualTo(want.totals.errors());
        for (int p = 0; p < 3; p++) {
          double value = got.latency().get(p).latencyMs();
          if (method == QueryReliability.PercentileMethod.EXACT) {
            assertThat(value).as("exact p%s of %s", got.latency().get(p).percentile(), want)
                .isCloseTo(want.percentiles[p], offset(1e-6));
          } else {
            assertThat(value).as("sketch p%s of %s", got.latency().get(p).percentile(), want)
                .isBetween(want.brackets[p][0] * (1 - alpha), want.brackets[p][1] * (1 + alpha));
          }
        }
      }
    }
  }

  private static List<String> readLines(File file) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new FileInputStream(file),
        StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Summed ingest outcomes.
   *
   * @param accepted stored
   * @param duplicates exact resends
   * @param conflicts resends with another payload
   * @param rejected invalid
   */
  public record IngestCounts(long accepted, long duplicates, long conflicts, long rejected) {
    IngestCounts plus(IngestCounts o) {
      return new IngestCounts(accepted + o.accepted, duplicates + o.duplicates, conflicts + o.conflicts,
          rejected + o.rejected);
    }
  }

  /**
   * One (org, model, UTC day) row of expected.json.
   *
   * @param orgId organisation
   * @param modelId model
   * @param day start of the day
   * @param totals counts and sums
   * @param percentiles exact p50, p95, p99
   * @param brackets [lower, upper] samples around p50, p95, p99
   */
  public record DailyExpectation(UUID orgId, String modelId, Instant day, QueryUsage.UsageTotals totals,
      double[] percentiles, long[][] brackets) {}

  /**
   * expected.json.
   *
   * @param uniqueValid distinct valid events
   * @param duplicates exact resends
   * @param conflicts resends with another payload
   * @param invalid invalid events
   * @param orgs organisations
   * @param start first day
   * @param end day after the last
   * @param totals per-org totals
   * @param daily per (org, model, day) rows, ordered by day then model within an org
   */
  public record Expected(long uniqueValid, long duplicates, long conflicts, long invalid, List<UUID> orgs,
      Instant start, Instant end, Map<UUID, QueryUsage.UsageTotals> totals, List<DailyExpectation> daily) {

    @SuppressWarnings("unchecked")
    static Expected parse(Object json) {
      Map<String, Object> root = (Map<String, Object>) json;
      List<UUID> orgs = ((List<Object>) root.get("orgs")).stream().map(o -> UUID.fromString((String) o)).toList();
      Map<UUID, QueryUsage.UsageTotals> totals = new HashMap<>();
      ((Map<String, Object>) root.get("totals")).forEach((org, t) ->
          totals.put(UUID.fromString(org), totalsOf((Map<String, Object>) t)));
      List<DailyExpectation> daily = new ArrayList<>();
      for (Object o : (List<Object>) root.get("daily")) {
        Map<String, Object> d = (Map<String, Object>) o;
        double[] percentiles = {num(d, "p50").doubleValue(), num(d, "p95").doubleValue(), num(d, "p99").doubleValue()};
        long[][] brackets = {bracket(d, "p50Bracket"), bracket(d, "p95Bracket"), bracket(d, "p99Bracket")};
        daily.add(new DailyExpectation(UUID.fromString((String) d.get("orgId")), (String) d.get("modelId"),
            LocalDate.parse((String) d.get("day")).atStartOfDay(ZoneOffset.UTC).toInstant(), totalsOf(d),
            percentiles, brackets));
      }
      daily.sort(java.util.Comparator.comparing(DailyExpectation::day).thenComparing(DailyExpectation::modelId));
      return new Expected(num(root, "uniqueValid").longValueExact(), num(root, "duplicates").longValueExact(),
          num(root, "conflicts").longValueExact(), num(root, "invalid").longValueExact(), orgs,
          Instant.parse((String) root.get("start")), Instant.parse((String) root.get("end")), Map.copyOf(totals),
          List.copyOf(daily));
    }

    private static QueryUsage.UsageTotals totalsOf(Map<String, Object> t) {
      return new QueryUsage.UsageTotals(num(t, "requests").longValueExact(), num(t, "errors").longValueExact(),
          num(t, "inputTokens").longValueExact(), num(t, "outputTokens").longValueExact(),
          num(t, "costMicros").longValueExact(), 0);
    }

    @SuppressWarnings("unchecked")
    private static long[] bracket(Map<String, Object> d, String name) {
      List<Object> pair = (List<Object>) d.get(name);
      return new long[] {((BigDecimal) pair.get(0)).longValueExact(), ((BigDecimal) pair.get(1)).longValueExact()};
    }

    private static BigDecimal num(Map<String, Object> map, String name) {
      return (BigDecimal) map.get(name);
    }
  }
}
