package io.tally.analytics.core.export;

import java.util.Locale;

/** What an export contains. */
public enum ExportKind {
  /** Hourly or daily usage rollups per model: the default. */
  USAGE_ROLLUP,
  /** Raw usage events, for incident analysis (bounded time ranges). */
  RAW_EVENTS;

  /** @return the lower-case wire name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
