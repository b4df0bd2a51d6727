package io.tally.analytics.ports.out;

/**
 * What one refresh step of {@code ports.service.RollupRefresher} did.
 *
 * @param hourlyBucketsRefreshed dirty hourly buckets claimed and brought up to date (recomputed or merged)
 * @param dailyBucketsRefreshed daily buckets re-derived from their hours
 * @param eventsRead events rolled up: the raw events read for the recomputed hours, plus the events the merged
 *     deltas cover
 * @param dirtyRemaining dirty hourly buckets left for later calls (by any instance)
 */
public record RefreshResult(int hourlyBucketsRefreshed, int dailyBucketsRefreshed, long eventsRead,
    long dirtyRemaining) {
  /** Validates. */
  public RefreshResult {
    if (hourlyBucketsRefreshed < 0 || dailyBucketsRefreshed < 0 || eventsRead < 0 || dirtyRemaining < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }
}
