package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.ConfirmationStatus;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.Message;
import com.rabbitmq.stream.Producer;
import com.rabbitmq.stream.StreamException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes usage events (the JSON usage event of DESIGN's appendix) to the usage stream, for JVM services
 * that embed Tally's adapter.
 *
 * <p><b>Deduplication.</b> The producer is named, and every message carries a publishing id. The broker keeps,
 * per producer name, the highest id it has stored and drops any message whose id is not higher. So ids must
 * be a deterministic function of the position in the caller's source (event 1 → id 1, …): a publisher that
 * crashed can be reopened under the same name and resume from {@link #lastPublishingId()} + 1, and a resend
 * of an overlapping range stores nothing twice. Only one live publisher per producer name may exist at a
 * time, and calls on one publisher are serialised so ids reach the broker in order.
 *
 * <p><b>Flow.</b> At most {@code maxInFlight} messages are unconfirmed; {@code publish} blocks when the window
 * is full and fails with {@link StreamUnreachableException} if no confirm frees a slot within
 * {@code publishTimeout}. A negative confirm makes the publisher fail fast ({@link StreamPublishException})
 * on the next call: reopen and resume as above. No sub-entry batching is used, because the broker does not
 * deduplicate inside sub-entries.
 */
public final class UsageEventPublisher implements AutoCloseable {
  /** Content type set on every message; the consumer dead-letters anything else. */
  public static final String CONTENT_TYPE = "application/json";

  private final Environment environment;
  private final boolean ownsEnvironment;
  private final Producer producer;
  private final String producerName;
  private final Semaphore window;
  private final int maxInFlight;
  private final Duration publishTimeout;
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final AtomicLong highestConfirmed;
  private long lastSentId;
  private boolean sentInThisSession;
  private long lastSentInSession;
  private boolean closed;

  private UsageEventPublisher(Builder b, Environment environment, boolean ownsEnvironment) {
    this.environment = environment;
    this.ownsEnvironment = ownsEnvironment;
    this.producerName = b.producerName;
    this.maxInFlight = b.maxInFlight;
    this.window = new Semaphore(b.maxInFlight);
    this.publishTimeout = b.publishTimeout;
    try {
      if (b.declareStream) {
        new StreamDeclarer(environment).declare(b.settings);
      }
      this.producer = environment.producerBuilder()
          .stream(b.settings.stream())
          .name(b.producerName)
          .maxUnconfirmedMessages(b.maxInFlight)
          .confirmTimeout(b.confirmTimeout)
          .build();
      this.lastSentId = producer.getLastPublishingId();
      this.highestConfirmed = new AtomicLong(lastSentId);
    } catch (StreamException e) {
      if (ownsEnvironment) environment.close();
      throw new StreamUnreachableException("Could not open producer " + b.producerName + " on stream "
          + b.settings.stream() + ": " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      if (ownsEnvironment) environment.close();
      // stream-client 0.23 reports a stream that exists but is not available yet (right after a broker
      // restart, response code 6) as a bare IllegalStateException; callers retry it like an unreachable broker.
      if (String.valueOf(e.getMessage()).contains("stream metadata")) {
        throw new StreamUnreachableException("Stream " + b.settings.stream() + " is not available yet for producer "
            + b.producerName + ": " + e.getMessage(), e);
      }
      throw e;
    } catch (RuntimeException e) {
      if (ownsEnvironment) environment.close();
      throw e;
    }
  }

  /** @param settings connection URI, stream name and (when the stream is declared) retention */
  public static Builder builder(StreamSettings settings) {
    return new Builder(settings);
  }

  /**
   * The highest publishing id the broker held for this producer name when the publisher opened, raised by
   * every id sent since. 0 when the name never published. A restarted publisher resumes at this + 1.
   */
  public synchronized long lastPublishingId() {
    return lastSentId;
  }

  /** @return the producer name (the broker's deduplication key) */
  public String producerName() {
    return producerName;
  }

  /**
   * Publishes one event under the next id ({@link #lastPublishingId()} + 1).
   *
   * @return the publishing id used
   */
  public synchronized long publish(byte[] eventJson) {
    long id = lastSentId + 1;
    send(id, eventJson);
    return id;
  }

  /** Serialises the event to its wire JSON and publishes it under the next id. */
  public long publish(UsageEventMessage event) {
    return publish(event.toJson());
  }

  /** UTF-8 convenience for {@link #publish(byte[])}. */
  public long publish(String eventJson) {
    return publish(eventJson.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Publishes one event under an explicit id, for callers whose ids come from their own source positions
   * (a replayable log, a sequence column). Ids must increase within one publisher; ids at or below what the
   * broker already holds for this name are accepted here and dropped by the broker.
   */
  public synchronized void publish(long publishingId, byte[] eventJson) {
    if (publishingId < 1) throw new IllegalArgumentException("publishingId must be >= 1");
    if (sentInThisSession && publishingId <= lastSentInSession) {
      throw new IllegalArgumentException("publishing ids must increase: " + publishingId + " after " + lastSentInSession);
    }
    send(publishingId, eventJson);
  }

  private void send(long id, byte[] body) {
    Objects.requireNonNull(body, "eventJson");
    if (closed) throw new IllegalStateException("publisher " + producerName + " is closed");
    failIfNacked();
    acquireSlot();
    Message message = producer.messageBuilder()
        .publishingId(id)
        .properties()
        .contentType(CONTENT_TYPE)
        // Publish time, so the consumer side can measure publish-to-visible latency.
        .creationTime(System.currentTimeMillis())
        .messageBuilder()
        .addData(body)
        .build();
    try {
      producer.send(message, this::onConfirm);
    } catch (RuntimeException e) {
      window.release();
      throw new StreamPublishException("send failed on producer " + producerName + ": " + e.getMessage(), e);
    }
    sentInThisSession = true;
    lastSentInSession = id;
    lastSentId = Math.max(lastSentId, id);
  }

  private void acquireSlot() {
    try {
      if (!window.tryAcquire(publishTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StreamUnreachableException("no publish confirm within " + publishTimeout + " with "
            + maxInFlight + " messages in flight on producer " + producerName, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamPublishException("interrupted while waiting for the in-flight window", e);
    }
  }

  private void onConfirm(ConfirmationStatus status) {
    try {
      if (status.isConfirmed()) {
        confirmed.incrementAndGet();
        highestConfirmed.accumulateAndGet(status.getMessage().getPublishingId(), Math::max);
      } else {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, "message " + status.getMessage().getPublishingId()
            + " not confirmed (code " + status.getCode() + ")");
      }
    } finally {
      window.release();
    }
  }

  private void failIfNacked() {
    if (failed.get() > 0) {
      throw new StreamPublishException(failed.get() + " message(s) not confirmed on producer " + producerName
          + ", first: " + firstFailure.get() + "; reopen and resume from lastPublishingId() + 1");
    }
  }

  /**
   * Waits until every sent message is confirmed.
   *
   * @throws StreamPublishException if a message was rejected or the wait timed out
   */
  public void flush(Duration timeout) {
    try {
      if (!window.tryAcquire(maxInFlight, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StreamPublishException((maxInFlight - window.availablePermits())
            + " message(s) still unconfirmed after " + timeout + " on producer " + producerName);
      }
      window.release(maxInFlight);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamPublishException("interrupted while flushing", e);
    }
    failIfNacked();
  }

  /** @return messages sent and not yet confirmed or rejected */
  public int inFlight() {
    return maxInFlight - window.availablePermits();
  }

  /** @return messages confirmed by the broker (including those it dropped as duplicates) */
  public long confirmedCount() {
    return confirmed.get();
  }

  /** @return messages the broker did not confirm */
  public long failedCount() {
    return failed.get();
  }

  /** @return the highest publishing id confirmed so far (or the broker's value at open) */
  public long highestConfirmedId() {
    return highestConfirmed.get();
  }

  /** Flushes (up to 30 s), then closes the producer and, if the publisher opened it, the connection. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      flush(Duration.ofSeconds(30));
    } finally {
      try {
        producer.close();
      } finally {
        if (ownsEnvironment) environment.close();
      }
    }
  }

  /** Publisher options; {@link #producerName(String)} is required. */
  public static final class Builder {
    private final StreamSettings settings;
    private String producerName;
    private int maxInFlight = 10_000;
    private Duration confirmTimeout = Duration.ofSeconds(30);
    private Duration publishTimeout = Duration.ofSeconds(30);
    private boolean declareStream = true;
    private Environment environment;

    private Builder(StreamSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Stable name per logical source (for example {@code billing-gateway-eu-1}); the dedup key. */
    public Builder producerName(String v) { this.producerName = v; return this; }
    /** Unconfirmed messages at most (default 10,000). */
    public Builder maxInFlight(int v) { this.maxInFlight = v; return this; }
    /** Broker confirm deadline per message before it counts as failed (default 30 s). */
    public Builder confirmTimeout(Duration v) { this.confirmTimeout = v; return this; }
    /** How long {@code publish} waits for a free in-flight slot (default 30 s). */
    public Builder publishTimeout(Duration v) { this.publishTimeout = v; return this; }
    /** Declare the stream with the settings' retention if absent (default true). */
    public Builder declareStream(boolean v) { this.declareStream = v; return this; }
    /** Share an existing connection instead of opening one; the publisher will not close it. */
    public Builder environment(Environment v) { this.environment = v; return this; }

    /**
     * Connects and registers the named producer.
     *
     * @throws StreamUnreachableException if the broker cannot be reached or the producer cannot be declared
     */
    public UsageEventPublisher open() {
      if (producerName == null || producerName.isBlank()) {
        throw new IllegalArgumentException("producerName is required: it is the broker's deduplication key");
      }
      if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1");
      Objects.requireNonNull(confirmTimeout, "confirmTimeout");
      Objects.requireNonNull(publishTimeout, "publishTimeout");
      if (environment != null) {
        return new UsageEventPublisher(this, environment, false);
      }
      return new UsageEventPublisher(this, StreamConnections.open(settings.uri(), "publisher-" + producerName), true);
    }
  }
}
