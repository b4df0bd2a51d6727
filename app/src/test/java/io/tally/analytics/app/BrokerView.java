package io.tally.analytics.app;

import com.rabbitmq.stream.Constants;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.impl.Client;
import io.tally.analytics.adapter.rabbitmq.StreamTailProbe;
import java.net.URI;
import java.time.Duration;

/**
 * What the local broker knows about a stream, read from outside the application: the last offset in the stream
 * and the offset a consumer mirrored to the broker's offset store (which is only ever meant to trail the
 * offset committed in the database).
 */
final class BrokerView implements AutoCloseable {
  private final Environment environment;
  private final Client client;

  BrokerView() {
    URI uri = URI.create(StreamIngestionIT.URL);
    String[] user = uri.getUserInfo().split(":", 2);
    this.environment = Environment.builder().uri(StreamIngestionIT.URL).build();
    this.client = new Client(new Client.ClientParameters().host(uri.getHost()).port(uri.getPort())
        .username(user[0]).password(user[1]).virtualHost("/"));
  }

  /** @return the offset of the stream's last message; fails when the stream holds none */
  long lastOffset(String stream) throws InterruptedException {
    return new StreamTailProbe(environment, stream, Duration.ofSeconds(10)).settledLastOffset(10)
        .orElseThrow(() -> new IllegalStateException("stream " + stream + " holds no message"));
  }

  /** @return the consumer's offset in the broker's offset store, -1 when it has stored none */
  long storedOffset(String stream, String consumer) {
    Client.QueryOffsetResponse r = client.queryOffset(consumer, stream);
    if (r.getResponseCode() == Constants.RESPONSE_CODE_NO_OFFSET) {
      return -1;
    }
    if (!r.isOk()) {
      throw new IllegalStateException("query_offset " + stream + "/" + consumer + " failed: " + r);
    }
    return r.getOffset();
  }

  void deleteStream(String stream) {
    try {
      environment.deleteStream(stream);
    } catch (RuntimeException ignored) {
      // never created, or already gone
    }
  }

  @Override
  public void close() {
    client.close();
    environment.close();
  }
}
