package io.tally.analytics.core.reconcile;

import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.util.Objects;

/**
 * The difference between a stored rollup and the same bucket recomputed from raw events. A bucket missing on
 * one side compares against {@link UsageRollup#empty()}.
 *
 * @param key the bucket
 * @param rollup what the rollup store holds
 * @param raw what the raw events give
 * @param relativeDrift the largest relative difference over requests, errors, input tokens, output tokens, cost
 *     and unpriced requests: {@code |rollup - raw| / max(|raw|, 1)}
 */
public record Drift(RollupKey key, UsageRollup rollup, UsageRollup raw, double relativeDrift) {
  /** Validates. */
  public Drift {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(rollup, "rollup");
    Objects.requireNonNull(raw, "raw");
    if (!(relativeDrift >= 0)) {
      throw new IllegalArgumentException("relativeDrift must be >= 0");
    }
  }

  /**
   * @param key bucket
   * @param rollup stored side
   * @param raw recomputed side
   * @return the drift between them
   */
  public static Drift between(RollupKey key, UsageRollup rollup, UsageRollup raw) {
    double drift = max(
        relative(rollup.requests(), raw.requests()),
        relative(rollup.errors(), raw.errors()),
        relative(rollup.inputTokens(), raw.inputTokens()),
        relative(rollup.outputTokens(), raw.outputTokens()),
        relative(rollup.costMicros(), raw.costMicros()),
        relative(rollup.unpricedRequests(), raw.unpricedRequests()));
    return new Drift(key, rollup, raw, drift);
  }

  /** @return true when the totals match exactly */
  public boolean isZero() {
    return relativeDrift == 0.0;
  }

  private static double relative(long actual, long expected) {
    return Math.abs((double) actual - (double) expected) / Math.max(Math.abs((double) expected), 1.0);
  }

  private static double max(double... values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
