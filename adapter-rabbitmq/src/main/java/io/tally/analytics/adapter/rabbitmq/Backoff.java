package io.tally.analytics.adapter.rabbitmq;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one retry loop of stream ingestion: try, and after each failure wait, doubling the wait from
 * {@code min} up to {@code max}, until an attempt succeeds, the caller says stop, or the failure handler gives
 * up. Used for the consumer's offset read, subscription and sink commits, and for the server's start of the
 * consumer while the broker is away.
 */
public final class Backoff {
  private final Duration min;
  private final Duration max;

  /** One try; any exception but an interruption counts as a failure. */
  @FunctionalInterface
  public interface Attempt<T> {
    /**
     * @return the result
     * @throws Exception a failure, to be retried unless {@link OnFailure} gives up
     */
    T run() throws Exception;
  }

  /** Told about each failure before the wait. */
  @FunctionalInterface
  public interface OnFailure {
    /**
     * @param failure what the attempt threw
     * @param nextDelay how long the loop waits before the next attempt
     * @return true to keep retrying, false to give up
     */
    boolean failed(Exception failure, Duration nextDelay);
  }

  /**
   * @param min first wait, positive
   * @param max largest wait, at least {@code min}
   */
  public Backoff(Duration min, Duration max) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("back-off must satisfy 0 < min <= max");
    }
    this.min = min;
    this.max = max;
  }

  /**
   * Tries now, then again after each failure.
   *
   * @param attempt the work
   * @param keepTrying checked before every attempt; false stops the loop
   * @param onFailure told about each failure
   * @param <T> result type
   * @return the first successful result; empty when stopped or given up
   * @throws InterruptedException when interrupted, during a wait or an attempt
   */
  public <T> Optional<T> retry(Attempt<T> attempt, BooleanSupplier keepTrying, OnFailure onFailure)
      throws InterruptedException {
    return loop(attempt, keepTrying, onFailure, min);
  }

  /**
   * Waits {@code min} first (the caller's own first attempt has just failed), then tries as {@link #retry}.
   *
   * @param attempt the work
   * @param keepTrying checked before every attempt; false stops the loop
   * @param onFailure told about each failure
   * @param <T> result type
   * @return the first successful result; empty when stopped or given up
   * @throws InterruptedException when interrupted, during a wait or an attempt
   */
  public <T> Optional<T> retryAfterFirstWait(Attempt<T> attempt, BooleanSupplier keepTrying, OnFailure onFailure)
      throws InterruptedException {
    Thread.sleep(min.toMillis());
    return loop(attempt, keepTrying, onFailure, next(min));
  }

  /** @return the first wait */
  public Duration min() {
    return min;
  }

  private <T> Optional<T> loop(Attempt<T> attempt, BooleanSupplier keepTrying, OnFailure onFailure, Duration first)
      throws InterruptedException {
    Duration delay = first;
    while (keepTrying.getAsBoolean()) {
      try {
        return Optional.of(attempt.run());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (!onFailure.failed(e, delay)) {
          return Optional.empty();
        }
        Thread.sleep(delay.toMillis());
        delay = next(delay);
      }
    }
    return Optional.empty();
  }

  private Duration next(Duration delay) {
    Duration doubled = delay.multipliedBy(2);
    return doubled.compareTo(max) > 0 ? max : doubled;
  }
}
