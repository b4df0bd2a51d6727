package io.tally.analytics.core.usage;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a batch came from: an HTTP request (its request id) and/or a stream position. A batch that carries a
 * position has it committed atomically with its rows.
 *
 * @param requestId HTTP request id, when ingested over HTTP
 * @param position stream position, when consumed from the stream
 */
public record IngestSource(Optional<String> requestId, Optional<StreamPosition> position) {
  /** Validates. */
  public IngestSource {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(position, "position");
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

  /** @return a batch handed in directly (embedded use, seeding, tests) */
  public static IngestSource direct() {
    return new IngestSource(Optional.empty(), Optional.empty());
  }
}
