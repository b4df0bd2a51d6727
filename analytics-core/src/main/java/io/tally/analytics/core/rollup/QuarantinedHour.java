package io.tally.analytics.core.rollup;

import java.time.Instant;
import java.util.Objects;

/**
 * An hour whose rollup failed and that waits, set apart, for its next attempt, so that it never stops the
 * rollup of any other hour or organisation. Made and advanced by {@link RollupRetryPolicy}.
 *
 * @param hour the organisation's hour
 * @param reason why the last attempt failed (an error code and a short message, at most
 *     {@value #MAX_REASON_LENGTH} characters; longer text is cut)
 * @param attempts failed attempts so far, {@code >= 1}
 * @param firstFailedAt when the first attempt failed
 * @param lastFailedAt when the last attempt failed, not before {@code firstFailedAt}
 * @param nextAttemptAt when the hour is due again, not before {@code lastFailedAt}
 */
public record QuarantinedHour(OrgHour hour, String reason, int attempts, Instant firstFailedAt,
    Instant lastFailedAt, Instant nextAttemptAt) {
  /** Longest reason kept. */
  public static final int MAX_REASON_LENGTH = 500;

  /** Validates, and cuts the reason to {@value #MAX_REASON_LENGTH} characters. */
  public QuarantinedHour {
    Objects.requireNonNull(hour, "hour");
    Objects.requireNonNull(reason, "reason");
    reason = reason.isBlank() ? "unknown failure" : reason.strip();
    if (reason.length() > MAX_REASON_LENGTH) {
      reason = reason.substring(0, MAX_REASON_LENGTH - 1) + "…";
    }
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(lastFailedAt, "lastFailedAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1");
    }
    if (lastFailedAt.isBefore(firstFailedAt) || nextAttemptAt.isBefore(lastFailedAt)) {
      throw new IllegalArgumentException("first failure <= last failure <= next attempt");
    }
  }

  /** @return true when the next attempt may run at {@code now} */
  public boolean isDue(Instant now) {
    return !nextAttemptAt.isAfter(now);
  }
}
