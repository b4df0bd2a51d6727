package io.tally.analytics.ports.out;

/**
 * What one refresh step of {@code ports.service.RollupRefresher} did.
 *
 * @param hourlyBucketsRefreshed dirty hourly buckets claimed and recomputed
 * @param dailyBucketsRefreshed daily buckets re-derived from their hours
 * @param eventsRead raw events read to do it
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
