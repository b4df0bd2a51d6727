package io.tally.analytics.adapter.http;

import io.tally.analytics.core.TallyException;

/** The actor used up its request budget; answered as 429 with {@code Retry-After}. */
class RateLimitedException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** The stable code. */
  public static final String CODE = "rate_limited";

  private final long retryAfterSeconds;

  /** @param retryAfterSeconds whole seconds until one request fits again (at least 1) */
  public RateLimitedException(long retryAfterSeconds) {
    super(Kind.RATE_LIMITED, CODE, "Rate limit exceeded; retry after " + Math.max(1, retryAfterSeconds) + " s");
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  /** @return seconds to put in {@code Retry-After} */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
