package io.tally.analytics.ports.in;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.time.InstantBounds;
import java.time.Duration;
import java.time.Instant;

/**
 * A query range, {@code start} inclusive and {@code end} exclusive, checked against the granularity's limit.
 * Both ends lie in the years 0001-9999 ({@link InstantBounds}); anything else throws {@link #INVALID_TIME}.
 *
 * @param start inclusive
 * @param end exclusive, after start
 */
public record TimeWindow(Instant start, Instant end) {
  /** Error code of a range end outside {@link InstantBounds}. */
  public static final String INVALID_TIME = "query.invalid_time";

  /** Validates. */
  public TimeWindow {
    InstantBounds.require(start, "start", TallyException.Kind.MALFORMED, INVALID_TIME);
    InstantBounds.require(end, "end", TallyException.Kind.MALFORMED, INVALID_TIME);
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
      throw new TallyException(TallyException.Kind.MALFORMED, "query.range_too_large",
          "a " + granularity.wireName() + " query may span at most "
          + granularity.maxRange().toDays() + " days");
    }
  }
}
