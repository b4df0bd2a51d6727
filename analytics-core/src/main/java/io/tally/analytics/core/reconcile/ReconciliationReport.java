package io.tally.analytics.core.reconcile;

import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The outcome of comparing rollups with raw data over a range.
 *
 * @param bucketsCompared number of buckets present on either side
 * @param drifts every bucket whose totals differ (zero-drift buckets are left out)
 * @param maxDrift largest relative drift, 0 when everything matches
 * @param policy the threshold applied
 */
public record ReconciliationReport(int bucketsCompared, List<Drift> drifts, double maxDrift,
    ReconciliationPolicy policy) {
  /** Validates and copies. */
  public ReconciliationReport {
    drifts = List.copyOf(drifts);
    Objects.requireNonNull(policy, "policy");
  }

  /**
   * @param stored rollups from the store, one width
   * @param raw rollups recomputed from raw events, same width and range
   * @param policy threshold
   * @return the report
   */
  public static ReconciliationReport compare(Map<RollupKey, UsageRollup> stored, Map<RollupKey, UsageRollup> raw,
      ReconciliationPolicy policy) {
    TreeSet<RollupKey> keys = new TreeSet<>(RollupKey.BY_BUCKET_THEN_MODEL);
    keys.addAll(stored.keySet());
    keys.addAll(raw.keySet());
    List<Drift> drifts = keys.stream()
        .map(k -> Drift.between(k, stored.getOrDefault(k, UsageRollup.empty()), raw.getOrDefault(k,
            UsageRollup.empty())))
        .filter(d -> !d.isZero())
        .toList();
    double max = drifts.stream().mapToDouble(Drift::relativeDrift).max().orElse(0.0);
    return new ReconciliationReport(keys.size(), drifts, max, policy);
  }

  /** @return true when no bucket drifts beyond the policy threshold */
  public boolean ok() {
    return drifts.stream().noneMatch(policy::driftExceeded);
  }
}
