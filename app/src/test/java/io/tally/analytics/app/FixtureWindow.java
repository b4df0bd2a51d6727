package io.tally.analytics.app;

import java.time.Duration;
import java.time.Instant;

/**
 * The event-time window for tests that post the fixtures' usage events through a real server. Those events are
 * dated from {@link #FIRST_FIXTURE_DAY} on (the golden file: 2026-10-01..07; the hand-written events of the ITs:
 * 2026-10-01), while the server judges them by the wall clock and accepts only {@code MAX_EVENT_AGE} (400 days by
 * default) back: from 2027-11-05 on it would refuse every one of them as {@code event.too_old}. These tests widen
 * the window to reach back to the fixtures' first day plus the default's 400 days, so that the window still
 * applies (1600 and 1900 stay refused) and the tests keep passing in later years.
 */
final class FixtureWindow {
  static final Instant FIRST_FIXTURE_DAY = Instant.parse("2026-10-01T00:00:00Z");

  private FixtureWindow() {}

  /** @return a {@code MAX_EVENT_AGE} value that accepts the fixtures' events today */
  static String maxEventAge() {
    long days = Math.max(0, Duration.between(FIRST_FIXTURE_DAY, Instant.now()).toDays()) + 400;
    return days + "d";
  }
}
