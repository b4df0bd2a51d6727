package io.tally.analytics.core.usage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event that could not be accepted, with why. Dead letters are written only together with their batch, by
 * {@code UsageEventStore.append} (a driven port), so they commit exactly when the batch's rows and stream position do.
 *
 * <p>For a message consumed from a stream, {@code source}'s position is <em>that message's own offset</em>
 * (not the last offset of its batch), so {@link #messageOffset()} names the message that was rejected. A store
 * keeps at most one dead letter per (stream, consumer, offset): writing the same stream message again adds
 * nothing.
 *
 * @param batchId batch it arrived in
 * @param source HTTP request id, and/or for a stream message the stream, consumer and the message's own offset
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

  /** @return the offset of the rejected stream message; empty for a letter that did not come from a stream */
  public Optional<Long> messageOffset() {
    return source.position().map(StreamPosition::lastOffset);
  }
}
