package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.util.Objects;

/**
 * One stored rollup bucket.
 *
 * @param key org, model, bucket start
 * @param rollup its aggregates
 */
public record RollupRow(RollupKey key, UsageRollup rollup) {
  /** Validates. */
  public RollupRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(rollup, "rollup");
  }
}
