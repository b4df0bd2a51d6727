package io.tally.analytics.core.analyticsevent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** UTC time buckets an aggregation may split by ({@code hour} | {@code day}). */
public enum TimeBucket {
  HOUR(ChronoUnit.HOURS),
  DAY(ChronoUnit.DAYS);

  private final ChronoUnit unit;

  TimeBucket(ChronoUnit unit) {
    this.unit = unit;
  }

  /** @return the start of the UTC bucket holding {@code t} */
  public Instant bucketStart(Instant t) {
    return t.truncatedTo(unit);
  }

  /** @return the wire name */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the bucket with this wire name, if any */
  public static Optional<TimeBucket> fromWireName(String name) {
    return Arrays.stream(values()).filter(b -> b.wireName().equals(name)).findFirst();
  }
}
