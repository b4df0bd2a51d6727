package io.tally.analytics.core.export;

import java.util.Locale;

/**
 * Bucket width of a usage-rollup export, as sent in the request body ({@code hourly} | {@code daily}).
 * Kept local to exports so this package does not depend on the usage model; the wire names match it.
 */
public enum ExportGranularity {
  /** One row per hour and model. */
  HOURLY,
  /** One row per UTC day and model. */
  DAILY;

  /** @return the lower-case wire name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
