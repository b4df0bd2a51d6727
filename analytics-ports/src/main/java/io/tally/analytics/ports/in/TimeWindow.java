package io.tally.analytics.ports.in;

import io.tally.analytics.core.TallyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A query range, {@code start} inclusive and {@code end} exclusive, checked against the granularity's limit.
 *
 * @param start inclusive
 * @param end exclusive, after start
 */
public record TimeWindow(Instant start, Instant end) {
  /** Validates. */
  public TimeWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start must be before end");
    }
  }

  /**
   * @param granularity the granularity asked for
   * @throws TallyException {@code query.range_too_large} when the range is longer than the granularity allows
   */
  public void requireWithin(Granularity granularity) {
    if (Duration.between(start, end).compareTo(granularity.maxRange()) > 0) {
      throw new TallyException("query.range_too_large", "a " + granularity.wireName() + " query may span at most "
          + granularity.maxRange().toDays() + " days");
    }
  }
}
