package io.tally.analytics.ports.testdata;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A settable {@link TimeSource} for tests. */
public final class TestClock implements TimeSource {
  private Instant now;

  /** @param start the initial instant */
  public TestClock(Instant start) {
    this.now = start;
  }

  /** @return a clock at 2025-11-08T00:00:00Z */
  public static TestClock standard() {
    return new TestClock(Instant.parse("2025-11-08T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }
}
