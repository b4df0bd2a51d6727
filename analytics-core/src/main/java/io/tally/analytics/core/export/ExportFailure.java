package io.tally.analytics.core.export;

import java.util.Objects;

/**
 * Why an attempt failed: a stable reason code (see {@link ExportFailureReason}) and a message for people.
 *
 * @param reason stable code such as {@code export.too_many_rows}
 * @param message explanation safe to show to the job's owner (never a credential or a stack trace)
 */
public record ExportFailure(ExportFailureReason reason, String message) {
  /** Validates. */
  public ExportFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
