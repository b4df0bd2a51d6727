package io.tally.analytics.app;

import java.util.Objects;

/**
 * A configuration value that must never reach a log: its {@code toString} is redacted.
 *
 * @param value the secret itself, for the one place that needs it
 */
public record Secret(String value) {
  /** Validates. */
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
