package io.tally.analytics.ports.in;

import io.tally.analytics.core.rollup.BucketWidth;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The bucket sizes the read APIs serve, with the longest range each may be asked for (OWASP API4: a range
 * limit per granularity keeps every answer small).
 */
public enum Granularity {
  HOURLY(BucketWidth.HOUR, Duration.ofDays(31)),
  DAILY(BucketWidth.DAY, Duration.ofDays(400));

  private final BucketWidth width;
  private final Duration maxRange;

  Granularity(BucketWidth width, Duration maxRange) {
    this.width = width;
    this.maxRange = maxRange;
  }

  /** @return the bucket width */
  public BucketWidth width() {
    return width;
  }

  /** @return the longest range a query may span */
  public Duration maxRange() {
    return maxRange;
  }

  /** @return {@code hourly} or {@code daily} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the granularity for a wire name, empty when unknown */
  public static Optional<Granularity> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(g -> g.wireName().equals(wireName)).findFirst();
  }
}
