package io.tally.analytics.core.freshness;

import java.util.Locale;

/** Whether a read is recent enough to trust; wire names {@code fresh} / {@code stale}. */
public enum FreshnessStatus {
  FRESH,
  STALE;

  /** @return lower-case wire name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
