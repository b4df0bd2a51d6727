package io.tally.analytics.ports.testdata;

import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A clock tests set and advance by hand. */
public final class MutableTimeSource implements TimeSource {
  private Instant now;

  /** @param start initial time */
  public MutableTimeSource(Instant start) {
    this.now = start;
  }

  /** @return a clock at 2025-11-08T00:00:00Z */
  public static MutableTimeSource standard() {
    return new MutableTimeSource(Instant.parse("2025-11-08T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  /** @param by how far to move the clock */
  public synchronized void advance(Duration by) {
    now = now.plus(by);
  }

  /** @param at new time */
  public synchronized void set(Instant at) {
    now = at;
  }
}
