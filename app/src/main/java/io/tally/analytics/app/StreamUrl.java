package io.tally.analytics.app;

import java.net.URI;
import java.util.Optional;

/**
 * The stream-protocol URL the consumer connects to, from {@code RABBITMQ_URL}: a {@code rabbitmq-stream://} URL is
 * used as it is; an AMQP URL, the original service's form ({@code amqp://user:pass@host:5672/vhost}), keeps its
 * credentials, host and virtual host and takes the stream port ({@code RABBITMQ_STREAM_PORT}, 5552 by default)
 * instead of the AMQP one. {@code amqps} becomes {@code rabbitmq-stream+tls}.
 */
final class StreamUrl {
  /** The stream plugin's default port. */
  static final int DEFAULT_PORT = 5552;

  private StreamUrl() {}

  /**
   * @param rabbitmqUrl {@code RABBITMQ_URL}
   * @param streamPort {@code RABBITMQ_STREAM_PORT}
   * @return the stream URL, empty when the URL has neither form
   */
  static Optional<ServiceUrl> of(ServiceUrl rabbitmqUrl, int streamPort) {
    String value = rabbitmqUrl.value();
    if (value.startsWith("rabbitmq-stream://") || value.startsWith("rabbitmq-stream+tls://")) {
      return Optional.of(rabbitmqUrl);
    }
    String scheme;
    if (value.startsWith("amqp://")) {
      scheme = "rabbitmq-stream";
    } else if (value.startsWith("amqps://")) {
      scheme = "rabbitmq-stream+tls";
    } else {
      return Optional.empty();
    }
    URI amqp = URI.create(value);
    String userInfo = amqp.getRawUserInfo() == null ? "" : amqp.getRawUserInfo() + "@";
    String host = amqp.getHost().contains(":") ? "[" + amqp.getHost() + "]" : amqp.getHost();
    // AMQP URI spec: no path is the default virtual host "/", which the stream client spells %2f.
    String path = amqp.getRawPath() == null || amqp.getRawPath().isEmpty() || amqp.getRawPath().equals("/")
        ? "/%2f" : amqp.getRawPath();
    String query = amqp.getRawQuery() == null ? "" : "?" + amqp.getRawQuery();
    return Optional.of(new ServiceUrl(scheme + "://" + userInfo + host + ":" + streamPort + path + query));
  }
}
