package io.tally.analytics.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The process's one Redis connection, opened from {@code REDIS_URL} ({@code redis://[:password@]host:port/db}).
 *
 * <p>Connecting is lazy and never blocks startup: a Redis that is down when the application starts is a cache
 * that misses, not a failed boot. After a failed connect, further attempts wait {@link #RECONNECT_BACKOFF} so a
 * read path does not pay the connect timeout on every request; once connected, Lettuce reconnects by itself
 * (backing off exponentially up to {@link #RECONNECT_BACKOFF}, where Lettuce's own default grows to 30 s) and
 * rejects commands while disconnected instead of queueing them, so callers fail at once rather than wait.
 */
public final class RedisConnection implements AutoCloseable {
  /** TCP connect timeout unless given. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  /** Per-command timeout unless given; a cache slower than this is worse than a miss. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
  /** Quiet period after a failed connect before the next attempt. */
  public static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(5);

  private final EndpointDescription endpoint;
  private final ClientResources resources;
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private long lastFailedConnectNanos;
  private boolean everFailed;
  private boolean closed;

  private RedisConnection(EndpointDescription endpoint, Duration connectTimeout, Duration commandTimeout) {
    this.endpoint = endpoint;
    endpoint.uri().setTimeout(commandTimeout);
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), RECONNECT_BACKOFF, 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, endpoint.uri());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
  }

  /**
   * @param redisUrl {@code redis://[:password@]host:port/db} (or {@code rediss://} for TLS)
   * @return a connection with the default timeouts; nothing is dialled yet
   * @throws IllegalArgumentException when the URL is malformed (the message never repeats the URL)
   */
  public static RedisConnection open(String redisUrl) {
    return open(redisUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT);
  }

  /**
   * @param redisUrl {@code redis://[:password@]host:port/db} (or {@code rediss://} for TLS)
   * @param connectTimeout TCP connect timeout
   * @param commandTimeout per-command timeout
   * @return a connection; nothing is dialled yet
   * @throws IllegalArgumentException when the URL is malformed or a timeout is not positive
   */
  public static RedisConnection open(String redisUrl, Duration connectTimeout, Duration commandTimeout) {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(commandTimeout, "commandTimeout");
    return new RedisConnection(EndpointDescription.parse(redisUrl), connectTimeout, commandTimeout);
  }

  /** @return {@code scheme://host:port/db}, safe to log: never the credentials */
  public String endpoint() {
    return endpoint.description();
  }

  /**
   * Readiness probe: one {@code PING} round trip (fits {@code ReadinessCheck.Probe}).
   *
   * @throws RedisUnavailableException when Redis does not answer {@code PONG} within the timeouts
   */
  public void ping() {
    String answer;
    try {
      answer = commands().ping();
    } catch (RedisUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RedisUnavailableException("Redis at " + endpoint + " did not answer PING: " + e.getMessage(), e);
    }
    if (!"PONG".equals(answer)) {
      throw new RedisUnavailableException("Redis at " + endpoint + " answered PING with " + answer, null);
    }
  }

  /**
   * Synchronous commands, connecting first if needed.
   *
   * @throws RedisUnavailableException when not connected and a connect fails or is still backing off
   */
  synchronized RedisCommands<String, String> commands() {
    if (closed) {
      throw new IllegalStateException("RedisConnection to " + endpoint + " is closed");
    }
    if (connection == null) {
      connect();
    }
    return connection.sync();
  }

  private void connect() {
    if (everFailed && System.nanoTime() - lastFailedConnectNanos < RECONNECT_BACKOFF.toNanos()) {
      throw new RedisUnavailableException("Redis at " + endpoint + " unreachable; next connect attempt after "
          + RECONNECT_BACKOFF.toSeconds() + " s back-off", null);
    }
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      everFailed = true;
      lastFailedConnectNanos = System.nanoTime();
      throw new RedisUnavailableException("Redis at " + endpoint + " unreachable: " + e.getMessage(), e);
    }
  }

  /** Closes the connection and the client's threads. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
