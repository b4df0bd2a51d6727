package io.tally.analytics.adapter.http;

import java.util.Objects;

/**
 * Where the server listens and how large a body may be.
 *
 * @param host bind address, for example {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one ({@link TallyHttpServer#port()} tells which)
 * @param maxBodyBytes largest request body accepted (413 {@code request.too_large} above)
 */
public record HttpSettings(String host, int port, long maxBodyBytes) {

  /** Validates. */
  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
  }
}
