package io.tally.analytics.adapter.redis;

import io.tally.analytics.core.TallyException;

/** Redis could not be reached, timed out or refused the command ({@code redis.unavailable}). */
final class RedisUnavailableException extends TallyException {
  private static final long serialVersionUID = 1L;

  public static final String CODE = "redis.unavailable";

  RedisUnavailableException(String message, Throwable cause) {
    super(Kind.UNAVAILABLE, CODE, message, cause);
  }
}
