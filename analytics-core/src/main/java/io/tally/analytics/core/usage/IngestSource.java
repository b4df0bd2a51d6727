package io.tally.analytics.core.usage;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a batch came from: an HTTP request (its request id) and/or a stream position. A batch that carries a
 * position has it committed atomically with its rows. A batch consumed under a stream lease carries the lease's
 * fencing token: a store that keeps leases commits it only while that token is still the lease's, and otherwise
 * refuses the whole batch ({@link StreamLeaseLostException}).
 *
 * @param requestId HTTP request id, when ingested over HTTP
 * @param position stream position, when consumed from the stream
 * @param lease the lease the batch was consumed under, when the consumer takes part in one
 */
public record IngestSource(Optional<String> requestId, Optional<StreamPosition> position,
    Optional<StreamLeaseToken> lease) {
  /** Validates. */
  public IngestSource {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(lease, "lease");
  }

  /** A source outside any stream lease. */
  public IngestSource(Optional<String> requestId, Optional<StreamPosition> position) {
    this(requestId, position, Optional.empty());
  }

  /** @return a batch from an HTTP request */
  public static IngestSource http(String requestId) {
    StreamPosition.requireText(requestId, "requestId");
    return new IngestSource(Optional.of(requestId), Optional.empty());
  }

  /** @return a batch consumed from a stream up to {@code position} */
  public static IngestSource stream(StreamPosition position) {
    return new IngestSource(Optional.empty(), Optional.of(position));
  }

  /** @return a batch consumed from a stream up to {@code position} while holding {@code lease} */
  public static IngestSource stream(StreamPosition position, StreamLeaseToken lease) {
    if (!lease.covers(position)) {
      throw new IllegalArgumentException("the lease is for another stream or consumer than the position");
    }
    return new IngestSource(Optional.empty(), Optional.of(position), Optional.of(lease));
  }

  /** @return a batch handed in directly (embedded use, seeding, tests) */
  public static IngestSource direct() {
    return new IngestSource(Optional.empty(), Optional.empty());
  }
}
