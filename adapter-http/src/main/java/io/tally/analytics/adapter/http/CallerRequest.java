package io.tally.analytics.adapter.http;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What an {@link Authenticator} may look at: the peer address of the TCP connection (never a forwarded-for
 * header) and the request headers.
 *
 * @param remoteAddress the connection's peer IP literal
 * @param headers header lookup by name (case-insensitive, as HTTP requires); answers null when absent
 */
record CallerRequest(String remoteAddress, UnaryOperator<String> headers) {

  /** Validates. */
  public CallerRequest {
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(headers, "headers");
  }

  /** @return the header's value, empty when absent */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.apply(name));
  }
}
