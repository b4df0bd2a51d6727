package io.tally.analytics.app;

import io.tally.analytics.core.usage.UsageEventCandidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic usage events for {@code tally seed}: the same seed, window and options give the same
 * events, so a re-run is all duplicates. A share of events re-sends an earlier one unchanged (a duplicate) and a
 * share is invalid (negative token counts, which the validator rejects to the dead-letter store).
 */
final class SyntheticUsage {
  private static final List<String> MODELS = List.of("llama-3-70b", "llama-3-8b", "mixtral-8x7b", "mistral-7b",
      "qwen-2-72b", "gemma-2-27b");
  private static final List<String> REGIONS = List.of("us-east", "us-west", "eu-west");
  private static final double ERROR_RATE = 0.04;

  private final int orgs;
  private final int models;
  private final Instant start;
  private final long windowMillis;
  private final double duplicateRate;
  private final double invalidRate;
  private final long seed;
  private final SplittableRandom random;
  private final List<Map<String, String>> sent = new ArrayList<>();
  private double withoutCostRate;
  private long generated;
  private long duplicates;
  private long invalid;

  /**
   * @param start inclusive start of the window events fall in
   * @param window its length
   */
  SyntheticUsage(int orgs, int models, Instant start, Duration window, double duplicateRate, double invalidRate,
      long seed) {
    this.orgs = orgs;
    this.models = models;
    this.start = start;
    this.windowMillis = window.toMillis();
    this.duplicateRate = duplicateRate;
    this.invalidRate = invalidRate;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /**
   * @param rate share of fresh events sent without costMicros, for the price book to price (0..1)
   * @return this
   */
  SyntheticUsage withoutCostRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("without-cost rate must be within 0..1");
    }
    this.withoutCostRate = rate;
    return this;
  }

  /** @return the organisation id of org number {@code n} (1-based), easy to type in a tour */
  static String orgId(int n) {
    return String.format("00000000-0000-0000-0000-%012d", n);
  }

  /** @return the model name of model number {@code n} (0-based) */
  static String modelId(int n) {
    return n < MODELS.size() ? MODELS.get(n) : "model-" + n;
  }

  /** @return the next {@code count} events as wire fields (DESIGN appendix names, values as text) */
  List<Map<String, String>> next(int count) {
    List<Map<String, String>> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(Map.copyOf(nextFields()));
    }
    return batch;
  }

  /** @return the candidate the ingest use case takes for these wire fields */
  static UsageEventCandidate candidate(Map<String, String> fields) {
    return UsageEventCandidate.fromWireFields(fields, Optional.empty());
  }

  private Map<String, String> nextFields() {
    double roll = random.nextDouble();
    if (roll < duplicateRate && !sent.isEmpty()) {
      duplicates++;
      return sent.get(random.nextInt(sent.size()));
    }
    Map<String, String> f = fresh();
    if (roll < duplicateRate + invalidRate) {
      invalid++;
      f.put("inputTokens", "-" + f.get("inputTokens"));
      return f;
    }
    generated++;
    // Bounded memory: duplicates are drawn from a sliding sample of earlier events.
    if (sent.size() < 100_000) {
      sent.add(f);
    } else {
      sent.set(random.nextInt(sent.size()), f);
    }
    return f;
  }

  private Map<String, String> fresh() {
    long index = generated + duplicates + invalid;
    Map<String, String> f = new HashMap<>();
    f.put("eventId", "seed-" + seed + "-" + index);
    f.put("orgId", orgId(1 + random.nextInt(orgs)));
    f.put("occurredAt", start.plusMillis(random.nextLong(windowMillis)).toString());
    f.put("modelId", modelId(random.nextInt(models)));
    f.put("apiKeyId", "key_" + random.nextInt(20));
    long input = 50 + random.nextInt(4_000);
    long output = 10 + random.nextInt(2_000);
    f.put("inputTokens", Long.toString(input));
    f.put("outputTokens", Long.toString(output));
    // Drawn only when asked for, so the events of a seed without the option stay what they were.
    if (withoutCostRate == 0 || random.nextDouble() >= withoutCostRate) {
      f.put("costMicros", Long.toString(input * 2 + output * 6));
    }
    // Log-normal-ish latency: most requests fast, a long tail.
    long latency = Math.round(Math.exp(5.5 + random.nextGaussian() * 0.8));
    f.put("latencyMs", Long.toString(Math.max(1, Math.min(latency, 120_000))));
    boolean error = random.nextDouble() < ERROR_RATE;
    f.put("status", error ? "error" : "success");
    if (error) {
      f.put("errorCode", "upstream_timeout");
    }
    f.put("region", REGIONS.get(random.nextInt(REGIONS.size())));
    return f;
  }

  long uniqueValid() {
    return generated;
  }

  long duplicates() {
    return duplicates;
  }

  long invalid() {
    return invalid;
  }
}
