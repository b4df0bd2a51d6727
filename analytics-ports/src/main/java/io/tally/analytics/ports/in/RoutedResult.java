package io.tally.analytics.ports.in;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of an AN-01 call, plus the warning lab mode gives when the tenant has no route (then nothing was
 * stored or read, and {@code value} is the empty answer).
 *
 * @param value the answer
 * @param labWarning present in lab mode without a route, and when the backend of a route with
 *     {@code "required": false} failed (then too nothing was stored or read)
 * @param <T> answer type
 */
public record RoutedResult<T>(T value, Optional<String> labWarning) {
  /** Rejects nulls. */
  public RoutedResult {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(labWarning, "labWarning");
  }

  /** @return a result served by a routed backend */
  public static <T> RoutedResult<T> stored(T value) {
    return new RoutedResult<>(value, Optional.empty());
  }

  /** @return true when a backend served the call */
  public boolean routed() {
    return labWarning.isEmpty();
  }
}
