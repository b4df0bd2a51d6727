package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.ByteCapacity;
import com.rabbitmq.stream.Constants;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.StreamException;
import com.rabbitmq.stream.StreamNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares the usage stream if it does not exist, with the retention of {@link StreamSettings}.
 *
 * <p>Idempotent: an existing stream is left as it is (its retention is not changed; RabbitMQ rejects a
 * re-declaration with different arguments, so retention changes go through a policy, not through here).
 */
final class StreamDeclarer {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDeclarer.class);

  private final Environment environment;

  public StreamDeclarer(Environment environment) {
    this.environment = environment;
  }

  /** @return true if this call created the stream, false if it was already there */
  public boolean declare(StreamSettings settings) {
    String stream = settings.stream();
    try {
      if (environment.streamExists(stream)) {
        return false;
      }
      environment.streamCreator()
          .stream(stream)
          .maxAge(settings.maxAge())
          .maxLengthBytes(ByteCapacity.B(settings.maxLengthBytes()))
          .create();
      LOG.info("Declared stream {} (maxAge={}, maxLengthBytes={})", stream, settings.maxAge(), settings.maxLengthBytes());
      return true;
    } catch (StreamNotAvailableException e) {
      // It exists; its members are still starting (right after a broker restart).
      return false;
    } catch (StreamException e) {
      // Two instances starting together both see "absent"; the loser of the race is fine.
      if (e.getCode() == Constants.RESPONSE_CODE_STREAM_ALREADY_EXISTS) {
        return false;
      }
      throw new StreamUnreachableException("Could not declare stream " + stream + ": " + e.getMessage(), e);
    }
  }
}
