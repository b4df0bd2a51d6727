package io.tally.analytics.adapter.cloudstores;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The occurrence time as fixed-width text ({@code 2025-01-01T10:00:00.000000000Z}), so that every store that orders
 * strings orders events by time, to the nanosecond, and a sort key {@code occurred_key + "#" + event_id} orders like
 * {@link io.tally.analytics.core.analyticsevent.AnalyticsEvent#STORE_ORDER}. Years 0000..9999 only, which the
 * event-time window of DESIGN §1.1 guarantees.
 */
public final class OccurredKey {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);
  /** Sorts before every key. */
  public static final String LOWEST = "0000";
  /** Sorts after every key. */
  public static final String HIGHEST = "9999-99";

  private OccurredKey() {}

  /** @return the fixed-width key of {@code t} */
  public static String of(Instant t) {
    return FORMAT.format(t);
  }

  /** @return the instant a key stands for */
  public static Instant parse(String key) {
    return Instant.parse(key);
  }
}
