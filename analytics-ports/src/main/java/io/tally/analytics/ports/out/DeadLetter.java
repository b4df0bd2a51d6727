package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An event that could not be accepted, with why.
 *
 * @param batchId batch it arrived in
 * @param source HTTP request id and/or stream position of that batch
 * @param payload the original message text, or a description of the parsed fields when no text was kept
 * @param violations every reason, at least one
 * @param receivedAt when it was rejected
 */
public record DeadLetter(String batchId, IngestSource source, String payload, List<Violation> violations,
    Instant receivedAt) {
  /** Validates and copies. */
  public DeadLetter {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(payload, "payload");
    violations = List.copyOf(violations);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a dead letter needs a reason");
    }
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
