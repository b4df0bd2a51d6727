package io.tally.analytics.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The event-time rule of DESIGN §1.1: a usage event is accepted only when {@code occurredAt} lies in
 * {@code [now - maxAge, now + maxClockSkew]}. Outside it the event is refused on its own
 * ({@link UsageEventRules#TOO_OLD}, {@link UsageEventRules#IN_FUTURE}) and dead-lettered, so one bad clock never
 * fails a batch; and storage never sees an instant it cannot partition or roll up.
 *
 * <p>Defaults: 400 days (a year of late delivery plus a month of slack) and 5 minutes. The longest allowed age,
 * 100 years, keeps every accepted instant inside the range the rollup arithmetic and PostgreSQL handle.
 *
 * @param maxAge how far in the past {@code occurredAt} may be, {@code > 0}, at most {@link #LONGEST_MAX_AGE}
 * @param maxClockSkew how far in the future, {@code >= 0}, at most {@link #LONGEST_MAX_CLOCK_SKEW}
 */
public record EventTimeWindow(Duration maxAge, Duration maxClockSkew) {
  /** Default {@code MAX_EVENT_AGE}. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(400);
  /** Default {@code MAX_CLOCK_SKEW}. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** The largest {@code maxAge} accepted. */
  public static final Duration LONGEST_MAX_AGE = Duration.ofDays(36_525);
  /** The largest {@code maxClockSkew} accepted. */
  public static final Duration LONGEST_MAX_CLOCK_SKEW = Duration.ofDays(1);

  /** Validates. */
  public EventTimeWindow {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(LONGEST_MAX_AGE) > 0) {
      throw new IllegalArgumentException("maxAge must be > 0 and at most " + LONGEST_MAX_AGE.toDays() + " days");
    }
    if (maxClockSkew.isNegative() || maxClockSkew.compareTo(LONGEST_MAX_CLOCK_SKEW) > 0) {
      throw new IllegalArgumentException("maxClockSkew must be >= 0 and at most 1 day");
    }
  }

  /** @return the window with the default age and skew */
  public static EventTimeWindow defaults() {
    return new EventTimeWindow(DEFAULT_MAX_AGE, DEFAULT_MAX_CLOCK_SKEW);
  }

  /** @return the oldest {@code occurredAt} accepted at {@code now} */
  public Instant earliest(Instant now) {
    return now.minus(maxAge);
  }

  /** @return the newest {@code occurredAt} accepted at {@code now} */
  public Instant latest(Instant now) {
    return now.plus(maxClockSkew);
  }

  /** @return true when {@code occurredAt} is accepted at {@code now} */
  public boolean contains(Instant occurredAt, Instant now) {
    return check(occurredAt, now).isEmpty();
  }

  /**
   * @param occurredAt the event's time
   * @param now the current time, from the caller's {@code TimeSource}
   * @return empty when accepted, else the violation of field {@code occurredAt}
   */
  public Optional<Violation> check(Instant occurredAt, Instant now) {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(now, "now");
    if (occurredAt.isBefore(earliest(now))) {
      return Optional.of(new Violation(UsageEventRules.TOO_OLD, "occurredAt",
          "occurredAt is more than " + days(maxAge) + " in the past (MAX_EVENT_AGE); the oldest accepted now is "
              + earliest(now)));
    }
    if (occurredAt.isAfter(latest(now))) {
      return Optional.of(new Violation(UsageEventRules.IN_FUTURE, "occurredAt",
          "occurredAt is more than " + maxClockSkew.toSeconds() + " s in the future (MAX_CLOCK_SKEW); the newest "
              + "accepted now is " + latest(now)));
    }
    return Optional.empty();
  }

  private static String days(Duration d) {
    return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toSeconds() + " s";
  }
}
