package io.tally.analytics.adapter.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic, realistic usage events for benchmarks: a seeded generator, so every run (and every
 * strategy within a run) sees byte-identical rows. Events arrive roughly in time order, as a stream
 * delivers them, with a few minutes of jitter; ~3% are errors and ~1% are exact resends of a recent event.
 */
final class BenchEvents {

  record Model(String id, long inputMicrosPerMillion, long outputMicrosPerMillion, double medianLatencyMs) {}

  static final List<Model> MODELS =
      List.of(
          new Model("llama-3-70b", 590_000, 790_000, 900),
          new Model("llama-3-8b", 50_000, 80_000, 250),
          new Model("qwen-14b", 140_000, 280_000, 450),
          new Model("mixtral-8x7b", 240_000, 240_000, 600),
          new Model("gpt-oss-120b", 150_000, 600_000, 1_400));

  static final Instant START = Instant.parse("2026-07-01T00:00:00Z");
  static final int DAYS = 90;

  private static final String[] REGIONS = {"us-east", "us-west", "eu-west", "ap-south"};
  private static final String[] ERRORS = {"upstream_timeout", "rate_limited", "model_overloaded", "bad_request"};

  /** The generated rows plus how many of them are resends, so the benchmark can check exact counts. */
  record Generated(List<UsageEventRow> rows, int duplicates) {}

  static Generated generate(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    UUID[] orgs = new UUID[50];
    for (int i = 0; i < orgs.length; i++) {
      orgs[i] = new UUID(rnd.nextLong(), rnd.nextLong());
    }
    long spanMillis = Duration.ofDays(DAYS).toMillis();
    List<UsageEventRow> rows = new ArrayList<>(n);
    int duplicates = 0;
    for (int i = 0; i < n; i++) {
      if (i > 1_000 && rnd.nextInt(100) == 0) {
        rows.add(rows.get(i - 1 - rnd.nextInt(1_000))); // a redelivery of something recent
        duplicates++;
        continue;
      }
      // Skewed org sizes: a few big tenants, a long tail.
      UUID org = orgs[(int) Math.min(orgs.length - 1, Math.floor(Math.pow(rnd.nextDouble(), 2) * orgs.length))];
      Model m = MODELS.get(rnd.nextInt(MODELS.size()));
      long base = START.toEpochMilli() + (long) ((double) i / n * spanMillis);
      long jitter = rnd.nextLong(-300_000, 300_000);
      Instant at = Instant.ofEpochMilli(Math.max(START.toEpochMilli(), Math.min(base + jitter, START.toEpochMilli() + spanMillis - 1)));
      long input = (long) Math.exp(5 + rnd.nextDouble() * 3.5); // ~150 .. ~5,000 tokens
      long output = (long) Math.exp(4 + rnd.nextDouble() * 3.5);
      boolean error = rnd.nextInt(100) < 3;
      long latency = Math.max(5, (long) (m.medianLatencyMs() * Math.exp(rnd.nextGaussian() * 0.6)));
      long cost = (input * m.inputMicrosPerMillion() + output * m.outputMicrosPerMillion()) / 1_000_000;
      rows.add(
          UsageRows.withFingerprint(
              org,
              "req-" + Long.toHexString(seed) + "-" + i,
              at,
              m.id(),
              null,
              "key_" + rnd.nextInt(40),
              input,
              error ? 0 : output,
              error ? 0 : cost,
              latency,
              error ? "error" : "success",
              error ? ERRORS[rnd.nextInt(ERRORS.length)] : null,
              REGIONS[rnd.nextInt(REGIONS.length)]));
    }
    return new Generated(rows, duplicates);
  }

  private BenchEvents() {}
}
