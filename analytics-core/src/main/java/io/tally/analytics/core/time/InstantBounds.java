package io.tally.analytics.core.time;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The instants a caller may hand Tally: RFC 3339 text with an offset, in the years RFC 3339 can write
 * (0001-9999). {@code java.time} parses far more ({@code +300000-01-01T00:00:00Z}), and such an instant reached
 * PostgreSQL, which cannot hold it, as a 500; every query range, filter and event time is bounded here first.
 *
 * <p>Usage events have a much narrower rule on top of this one (see
 * {@link io.tally.analytics.core.usage.EventTimeWindow}); query ranges do not, since stored data may predate
 * that window.
 */
public final class InstantBounds {
  /** The first instant accepted: 0001-01-01T00:00:00Z. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  /** The last instant accepted: 9999-12-31T23:59:59.999999999Z. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private InstantBounds() {}

  /** @return true when {@code t} lies in [{@link #EARLIEST}, {@link #LATEST}] */
  public static boolean contains(Instant t) {
    return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
  }

  /**
   * @param text RFC 3339 with an offset, for example {@code 2026-10-01T00:00:00Z}
   * @return the instant, empty when the text is not RFC 3339 or lies outside the bounds
   */
  public static Optional<Instant> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      Instant parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return contains(parsed) ? Optional.of(parsed) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * @param t an instant a caller handed over
   * @param what the field or parameter, for the message
   * @param kind the kind of failure an out-of-bounds instant is for this caller
   * @param errorCode the code to throw with
   * @return {@code t}
   * @throws TallyException {@code errorCode} when {@code t} is outside the bounds
   */
  public static Instant require(Instant t, String what, TallyException.Kind kind, String errorCode) {
    Objects.requireNonNull(t, what);
    if (!contains(t)) {
      throw new TallyException(kind, errorCode, describe(what));
    }
    return t;
  }

  /** @return the sentence every refusal of an unbounded instant carries */
  public static String describe(String what) {
    return what + " must be an RFC 3339 timestamp with offset between 0001-01-01T00:00:00Z and"
        + " 9999-12-31T23:59:59Z, e.g. 2026-10-01T00:00:00Z";
  }
}
