package io.tally.analytics.core.reconcile;

/**
 * How much drift {@code verify} tolerates before it fails: DESIGN.md sets 0.5% (the target is 0).
 *
 * @param threshold largest acceptable relative drift, in [0, 1]
 */
public record ReconciliationPolicy(double threshold) {
  /** The 0.5% of DESIGN.md §1.1. */
  public static final ReconciliationPolicy DEFAULT = new ReconciliationPolicy(0.005);

  /** Validates. */
  public ReconciliationPolicy {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1]");
    }
  }

  /**
   * @param drift one bucket's drift
   * @return true when it is above the threshold
   */
  public boolean driftExceeded(Drift drift) {
    return drift.relativeDrift() > threshold;
  }
}
