package io.tally.analytics.adapter.redis;

import io.lettuce.core.RedisURI;
import java.util.Objects;

/**
 * A parsed {@code REDIS_URL} and its description for logs, which never carries the credentials: a failed parse
 * says only what shape was expected, because the rejected text may hold a password.
 */
record EndpointDescription(RedisURI uri, String description) {
  EndpointDescription {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(description, "description");
  }

  static EndpointDescription parse(String redisUrl) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    String scheme = redisUrl.contains("://") ? redisUrl.substring(0, redisUrl.indexOf("://")) : "";
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException("REDIS_URL must look like redis://[:password@]host:port/db or rediss://…");
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(redisUrl);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("REDIS_URL is not a valid redis:// URL (host, port 1-65535, db number)");
    }
    return new EndpointDescription(uri, scheme + "://" + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase());
  }

  @Override
  public String toString() {
    return description;
  }
}
