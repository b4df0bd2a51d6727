package io.tally.analytics.core.freshness;

import java.util.Locale;

/**
 * Whether a read is recent enough to trust; wire names {@code fresh} / {@code stale} / {@code error}. Error wins
 * over both: some of the organisation's data could not be rolled up, so the answer is known to be incomplete
 * however recent the last rollup run was.
 */
public enum FreshnessStatus {
  FRESH,
  STALE,
  ERROR;

  /** @return lower-case wire name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
