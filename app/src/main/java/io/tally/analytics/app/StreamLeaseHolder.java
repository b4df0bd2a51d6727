package io.tally.analytics.app;

import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.ports.out.StreamLeases;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the stream only while this instance holds its lease in the database (RabbitMQ 3.10 has no single active
 * consumer). A daemon thread tries every third of the lease: a standby instance takes the lease once the holder's
 * has expired and then starts a consumer (a fresh {@link StreamStarter}); the holder renews, and stops its consumer
 * as soon as a renewal is refused (taken over after a stall). While the database cannot be reached the holder keeps
 * its consumer: it cannot commit without the database, and no other instance can take the lease without it
 * either. A graceful close stops the consumer first
 * (its batch and offset commit), then releases the lease so that a standby takes over at its next try.
 *
 * <p>A lost lease stops the consumer between batches, but the lease is not checked inside the batch transaction:
 * a holder that stalls longer than the lease can overlap its successor by one batch. The stream's effectively-once
 * design keeps the end state exact then too (rows are idempotent on (org, event id), offsets only move forward).
 */
final class StreamLeaseHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamLeaseHolder.class);

  /** What {@code readyz} shows: this instance, the lease's holder, and whether that is this instance. */
  record View(String instance, Optional<String> holder, boolean active) {}

  private final StreamLeases leases;
  private final String stream;
  private final String consumerName;
  private final String instance;
  private final Duration duration;
  private final Supplier<StreamStarter> starters;
  private final Object lock = new Object();
  private StreamStarter running;
  private volatile View view;
  private boolean closed;
  private final ScheduledExecutorService thread = BackgroundThread.named("tally-stream-lease");

  /**
   * @param starters a new, not yet started, consumer starter for each time this instance takes the lease
   */
  StreamLeaseHolder(StreamLeases leases, String stream, String consumerName, TallyConfig.StreamLease lease,
      Supplier<StreamStarter> starters) {
    this.leases = leases;
    this.stream = stream;
    this.consumerName = consumerName;
    this.instance = lease.instanceId();
    this.duration = lease.duration();
    this.starters = starters;
    this.view = new View(instance, Optional.empty(), false);
  }

  /** Makes the first attempt on the calling thread (a lone instance starts consuming at once), then keeps trying. */
  StreamLeaseHolder start() {
    tick();
    long every = Math.max(1, duration.toMillis() / 3);
    thread.scheduleWithFixedDelay(this::tickOrRelease, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  View view() {
    return view;
  }

  /** @return the consumer, while this instance holds the lease and its consumer has started */
  Optional<StreamUsageConsumer> consumer() {
    synchronized (lock) {
      return running == null ? Optional.empty() : running.consumer();
    }
  }

  private void tickOrRelease() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The consumer would not start (not a broker outage: StreamStarter retries those itself). Let another
      // instance try rather than hold a lease nobody consumes under; this one tries again at its next turn.
      LOG.atError().addKeyValue("instance", instance).setCause(e).log("stream consumer could not start");
      try {
        leases.release(stream, consumerName, instance);
      } catch (RuntimeException again) {
        LOG.atWarn().log("stream lease not released (it expires by itself): {}", again.getMessage());
      }
    }
  }

  /** One try: take or renew the lease, then start or stop consuming to match. */
  void tick() {
    boolean held;
    try {
      held = leases.acquireOrRenew(stream, consumerName, instance, duration);
    } catch (RuntimeException e) {
      // The database is away: keep the consumer (it pauses, it cannot commit either) and the lease as they are.
      // Nobody can take the lease meanwhile, and once the database is back the next try renews it or finds it
      // taken and stops consuming (StreamDatabaseOutageIT: the consumer pauses and catches up).
      LOG.atWarn().addKeyValue("instance", instance).log("stream lease could not be renewed: {}", e.getMessage());
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (held) {
        if (running == null) {
          LOG.atInfo().addKeyValue("instance", instance).addKeyValue("stream", stream)
              .log("took the stream lease: consuming");
          running = starters.get().start();
        }
        view = new View(instance, Optional.of(instance), true);
        return;
      }
      if (running != null) {
        stopConsuming("another instance holds the lease");
      }
    }
    Optional<String> holder;
    try {
      holder = leases.holder(stream, consumerName);
    } catch (RuntimeException e) {
      holder = Optional.empty();
    }
    view = new View(instance, holder, false);
  }

  private void stopConsuming(String why) {
    LOG.atWarn().addKeyValue("instance", instance).addKeyValue("stream", stream)
        .log("stopping the stream consumer: {}", why);
    running.close();
    running = null;
    view = new View(instance, Optional.empty(), false);
  }

  /** Stops trying, stops the consumer (it commits its batch), then releases the lease. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    BackgroundThread.stop(thread);
    boolean held;
    synchronized (lock) {
      held = running != null;
      if (held) {
        running.close();
        running = null;
      }
    }
    if (held) {
      try {
        leases.release(stream, consumerName, instance);
      } catch (RuntimeException e) {
        LOG.atWarn().log("stream lease not released (it expires by itself): {}", e.getMessage());
      }
    }
  }
}
