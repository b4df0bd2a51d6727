package io.tally.analytics.app;

import io.tally.analytics.adapter.rabbitmq.Backoff;
import io.tally.analytics.adapter.rabbitmq.StreamUnreachableException;
import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the stream consumer, and keeps trying in the background while the broker cannot be reached, so that
 * {@code serve} comes up (HTTP ingest, queries, {@code readyz} reporting the stream down) when it boots before
 * RabbitMQ or during an outage. Once running, the consumer handles broker restarts itself.
 *
 * <p>Only {@link StreamUnreachableException} is retried (refused connection, refused credentials, a stream
 * that cannot be declared); any other failure is a configuration or programming error and fails the start.
 */
final class StreamStarter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamStarter.class);

  private final Supplier<StreamUsageConsumer> starter;
  private final Consumer<StreamUsageConsumer> onStarted;
  private final Consumer<String> onWaiting;
  private final Backoff backoff;
  private final Object lock = new Object();
  private StreamUsageConsumer consumer;
  private boolean closed;
  private Thread retrier;

  /**
   * @param starter opens and starts the consumer; throws {@link StreamUnreachableException} while the broker is away
   * @param onStarted told once, with the running consumer
   * @param onWaiting told after every failed attempt, with a stable reason code ({@code stream.unreachable}, or
   *     {@code stream.start_failed} when it gave up); the message goes to the log only, readyz is open to all
   */
  StreamStarter(Supplier<StreamUsageConsumer> starter, Consumer<StreamUsageConsumer> onStarted,
      Consumer<String> onWaiting, Duration minBackoff, Duration maxBackoff) {
    this.backoff = new Backoff(minBackoff, maxBackoff);
    this.starter = starter;
    this.onStarted = onStarted;
    this.onWaiting = onWaiting;
  }

  /**
   * Tries once on the calling thread; when the broker is unreachable, retries on a daemon thread.
   *
   * @return this starter
   * @throws RuntimeException any failure other than {@link StreamUnreachableException}
   */
  StreamStarter start() {
    try {
      started(starter.get());
    } catch (StreamUnreachableException e) {
      waiting(e, backoff.min());
      synchronized (lock) {
        retrier = new Thread(this::retry, "tally-stream-starter");
        retrier.setDaemon(true);
        retrier.start();
      }
    }
    return this;
  }

  /** @return the consumer once it has started */
  Optional<StreamUsageConsumer> consumer() {
    synchronized (lock) {
      return Optional.ofNullable(consumer);
    }
  }

  private void retry() {
    try {
      backoff.retryAfterFirstWait(starter::get, this::open, (failure, next) -> {
        if (failure instanceof StreamUnreachableException unreachable) {
          waiting(unreachable, next);
          return true;
        }
        // Not a broker outage: retrying would only repeat it. readyz keeps saying why.
        LOG.error("Stream ingestion could not start and will not retry", failure);
        onWaiting.accept("stream.start_failed");
        return false;
      }).ifPresent(this::started);
    } catch (InterruptedException e) {
      // close() stops the retries.
    }
  }

  private boolean open() {
    synchronized (lock) {
      return !closed;
    }
  }

  private void started(StreamUsageConsumer c) {
    synchronized (lock) {
      if (closed) {
        // close() ran while this attempt was connecting: the new consumer must not outlive the server.
        c.close();
        return;
      }
      consumer = c;
    }
    onStarted.accept(c);
  }

  private void waiting(StreamUnreachableException e, Duration next) {
    LOG.atWarn().addKeyValue("error_code", e.errorCode()).addKeyValue("retry_in_ms", next.toMillis())
        .log("stream ingestion is waiting for the broker: {}", e.getMessage());
    onWaiting.accept(e.errorCode());
  }

  /** Stops retrying, then closes the consumer if it started (it commits what it has buffered). */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = retrier;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    StreamUsageConsumer c;
    synchronized (lock) {
      c = consumer;
    }
    if (c != null) {
      c.close();
    }
  }
}
