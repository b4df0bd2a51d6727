package io.tally.analytics.app;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the JDBC driver connects: {@code DATABASE_URL} accepts both the JDBC form
 * ({@code jdbc:postgresql://host:port/db?user=…}) and the libpq form many platforms hand out
 * ({@code postgres://user:password@host:port/db}); the driver understands only the first, so the second is split
 * into a JDBC URL plus user and password.
 *
 * @param jdbcUrl {@code jdbc:postgresql://…} without credentials in the user-info part
 * @param user user from the user-info, when given there
 * @param password password from the user-info, when given there
 */
record JdbcTarget(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
  JdbcTarget {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /**
   * @param url the configured {@code DATABASE_URL}
   * @return the JDBC form
   * @throws ConfigException when a libpq-style URL cannot be parsed
   */
  static JdbcTarget of(ServiceUrl url) {
    String raw = url.value();
    if (raw.startsWith("jdbc:postgresql://")) {
      return new JdbcTarget(raw, Optional.empty(), Optional.empty());
    }
    URI uri;
    try {
      uri = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("DATABASE_URL", "is not a valid URL; expected postgres://user:password@host:port/db");
    }
    if (uri.getHost() == null) {
      throw new ConfigException("DATABASE_URL", "has no host; expected postgres://user:password@host:port/db");
    }
    String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    Optional<String> user = Optional.empty();
    Optional<Secret> password = Optional.empty();
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
      if (colon >= 0) {
        password = Optional.of(new Secret(decode(info.substring(colon + 1))));
      }
    }
    return new JdbcTarget("jdbc:postgresql://" + hostPort + path + query, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
