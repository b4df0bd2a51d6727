package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.ports.in.IngestUsageBatch;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the usage stream lives and how it is consumed: connection URI, stream and consumer names, batch
 * shape, back-pressure bounds and retention.
 *
 * <p>Defaults match DESIGN §1.1 and the local broker: {@code rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f},
 * stream {@code analytics.usage.v1}, consumer {@code tally-ingest}.
 *
 * @param uri stream-protocol URI ({@code rabbitmq-stream://user:pass@host:5552/vhost})
 * @param stream stream name
 * @param consumerName consumer name; with {@code stream} it keys the stored offset
 * @param batchSize maximum messages handed to the sink at once, at most {@link IngestUsageBatch#MAX_EVENTS}
 * @param maxWait how long a partial batch waits for more messages before it is handed over
 * @param maxBufferedMessages messages received from the broker but not yet committed, at most; the broker
 *     delivery is paused (credits withheld, then the handler blocks) when this many are held
 * @param initialCredits chunks the broker may send ahead of processing (1 credit = 1 chunk)
 * @param maxAge retention by age, applied only when the stream is created
 * @param maxLengthBytes retention by size, applied only when the stream is created
 */
public record StreamSettings(
    String uri,
    String stream,
    String consumerName,
    int batchSize,
    Duration maxWait,
    int maxBufferedMessages,
    int initialCredits,
    Duration maxAge,
    long maxLengthBytes) {

  public static final String DEFAULT_URI = "rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f";
  public static final String DEFAULT_STREAM = "analytics.usage.v1";
  public static final String DEFAULT_CONSUMER = "tally-ingest";
  /**
   * 5,000 messages per commit: 23% more events/s than 1,000 in {@code scripts/bench ingest-stream} (the per-batch
   * statements and commit are spread wider), and still at most half the default buffer.
   */
  public static final int DEFAULT_BATCH_SIZE = 5_000;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(200);
  public static final int DEFAULT_MAX_BUFFERED_MESSAGES = 10_000;

  public StreamSettings {
    requireText(uri, "uri");
    if (!uri.startsWith("rabbitmq-stream://") && !uri.startsWith("rabbitmq-stream+tls://")) {
      throw new IllegalArgumentException("uri must use the rabbitmq-stream scheme (port 5552), got " + redact(uri));
    }
    requireText(stream, "stream");
    requireText(consumerName, "consumerName");
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
    if (batchSize > IngestUsageBatch.MAX_EVENTS) {
      // A batch is one ingest call; a larger one would be refused on every retry and stall the stream.
      throw new IllegalArgumentException("batchSize must be <= " + IngestUsageBatch.MAX_EVENTS);
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative() || maxWait.isZero()) throw new IllegalArgumentException("maxWait must be > 0");
    if (maxBufferedMessages < batchSize) {
      throw new IllegalArgumentException("maxBufferedMessages must be >= batchSize");
    }
    if (initialCredits < 1) throw new IllegalArgumentException("initialCredits must be >= 1");
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) throw new IllegalArgumentException("maxAge must be > 0");
    if (maxLengthBytes < 1) throw new IllegalArgumentException("maxLengthBytes must be >= 1");
  }

  /** @return a builder holding the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code RABBITMQ_URL}, {@code RABBITMQ_STREAM}, {@code RABBITMQ_CONSUMER},
   * {@code RABBITMQ_BATCH_SIZE}, {@code RABBITMQ_BATCH_MAX_WAIT_MS}, {@code RABBITMQ_MAX_BUFFERED},
   * {@code RABBITMQ_RETENTION_MAX_AGE_HOURS} and {@code RABBITMQ_RETENTION_MAX_BYTES}; absent keys keep the
   * defaults.
   */
  public static StreamSettings fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    ifPresent(env, "RABBITMQ_URL", b::uri);
    ifPresent(env, "RABBITMQ_STREAM", b::stream);
    ifPresent(env, "RABBITMQ_CONSUMER", b::consumerName);
    ifPresent(env, "RABBITMQ_BATCH_SIZE", v -> b.batchSize(Integer.parseInt(v)));
    ifPresent(env, "RABBITMQ_BATCH_MAX_WAIT_MS", v -> b.maxWait(Duration.ofMillis(Long.parseLong(v))));
    ifPresent(env, "RABBITMQ_MAX_BUFFERED", v -> b.maxBufferedMessages(Integer.parseInt(v)));
    ifPresent(env, "RABBITMQ_RETENTION_MAX_AGE_HOURS", v -> b.maxAge(Duration.ofHours(Long.parseLong(v))));
    ifPresent(env, "RABBITMQ_RETENTION_MAX_BYTES", v -> b.maxLengthBytes(Long.parseLong(v)));
    return b.build();
  }

  /** @return the URI with its password masked, for logs and readiness output */
  public String redactedUri() {
    return redact(uri);
  }

  @Override
  public String toString() {
    return "StreamSettings[uri=" + redactedUri() + ", stream=" + stream + ", consumerName=" + consumerName
        + ", batchSize=" + batchSize + ", maxWait=" + maxWait + ", maxBufferedMessages=" + maxBufferedMessages
        + ", initialCredits=" + initialCredits + ", maxAge=" + maxAge + ", maxLengthBytes=" + maxLengthBytes + "]";
  }

  static String redact(String uri) {
    return uri == null ? "null" : uri.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
  }

  private static void ifPresent(Map<String, String> env, String key, java.util.function.Consumer<String> set) {
    String v = env.get(key);
    if (v != null && !v.isBlank()) set.accept(v.trim());
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private String uri = DEFAULT_URI;
    private String stream = DEFAULT_STREAM;
    private String consumerName = DEFAULT_CONSUMER;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private int maxBufferedMessages = DEFAULT_MAX_BUFFERED_MESSAGES;
    private int initialCredits = 10;
    private Duration maxAge = Duration.ofDays(7);
    private long maxLengthBytes = 20L * 1024 * 1024 * 1024;

    private Builder() {}

    public Builder uri(String v) { this.uri = v; return this; }
    public Builder stream(String v) { this.stream = v; return this; }
    public Builder consumerName(String v) { this.consumerName = v; return this; }
    public Builder batchSize(int v) { this.batchSize = v; return this; }
    public Builder maxWait(Duration v) { this.maxWait = v; return this; }
    public Builder maxBufferedMessages(int v) { this.maxBufferedMessages = v; return this; }
    public Builder initialCredits(int v) { this.initialCredits = v; return this; }
    public Builder maxAge(Duration v) { this.maxAge = v; return this; }
    public Builder maxLengthBytes(long v) { this.maxLengthBytes = v; return this; }

    public StreamSettings build() {
      return new StreamSettings(uri, stream, consumerName, batchSize, maxWait, maxBufferedMessages,
          initialCredits, maxAge, maxLengthBytes);
    }
  }
}
