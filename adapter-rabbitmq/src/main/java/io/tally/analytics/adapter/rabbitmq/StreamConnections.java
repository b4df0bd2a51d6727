package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.AuthenticationFailureException;
import com.rabbitmq.stream.BackOffDelayPolicy;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.StreamException;
import java.time.Duration;

/** Opens stream-client environments with Tally's recovery policy and failure translation. */
final class StreamConnections {
  private StreamConnections() {}

  static Environment open(String uri, String purpose) {
    try {
      return Environment.builder()
          .uri(uri)
          // One subscription per connection: the consumer's handler blocks its connection's dispatch thread
          // when the buffer is full (back-pressure), which must not hold up the tail probe's deliveries.
          .maxConsumersByConnection(1)
          .id("tally-" + purpose)
          // Recovery never gives up: a broker restart or a long outage must end in a resumed consumer, not a
          // silently dead one (the default topology policy stops after 60 s and 0.23 has no listener to tell us).
          .recoveryBackOffDelayPolicy(BackOffDelayPolicy.fixedWithInitialDelay(Duration.ofSeconds(1), Duration.ofSeconds(2)))
          .topologyUpdateBackOffDelayPolicy(BackOffDelayPolicy.fixedWithInitialDelay(Duration.ofSeconds(1), Duration.ofSeconds(2)))
          .rpcTimeout(Duration.ofSeconds(10))
          .build();
    } catch (AuthenticationFailureException e) {
      throw new StreamUnreachableException("RabbitMQ stream endpoint " + StreamSettings.redact(uri)
          + " refused the credentials", e);
    } catch (StreamException e) {
      throw new StreamUnreachableException("RabbitMQ stream endpoint " + StreamSettings.redact(uri)
          + " is unreachable (is the rabbitmq_stream plugin enabled, port 5552?): " + e.getMessage(), e);
    }
  }
}
