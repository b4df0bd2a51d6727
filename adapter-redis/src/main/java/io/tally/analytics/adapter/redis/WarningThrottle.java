package io.tally.analytics.adapter.redis;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets one warning through per interval and counts the ones it held back, so a Redis outage on a hot read
 * path logs a line every interval instead of one per request.
 */
final class WarningThrottle {
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean warnedBefore;
  private long lastWarningNanos;
  private long suppressed;

  WarningThrottle(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * @return -1 when this warning should be held back; otherwise how many were held back since the last one
   *     that went through
   */
  synchronized long admit() {
    long now = nanoTime.getAsLong();
    if (warnedBefore && now - lastWarningNanos < intervalNanos) {
      suppressed++;
      return -1;
    }
    warnedBefore = true;
    lastWarningNanos = now;
    long held = suppressed;
    suppressed = 0;
    return held;
  }
}
