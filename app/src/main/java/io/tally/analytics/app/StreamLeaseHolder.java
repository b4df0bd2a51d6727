package io.tally.analytics.app;

import io.tally.analytics.adapter.rabbitmq.StreamUsageConsumer;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.ports.out.StreamLeases;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * <p>The lease is a fence. Each taking of it gets a new epoch, and the consumer started for it carries that
 * {@link StreamLeaseToken} in every batch; the batch's transaction checks the token against the lease row and holds
 * the row {@code FOR SHARE} until it commits. So a holder that stalls longer than its lease (GC pause, SIGSTOP, a
 * partition) commits nothing once another instance has taken over: its next batch is refused before writing
 * (no rows, no batch record, no dead letters, no offset), its consumer stops ({@code stream.lease_lost}, logged
 * once) and its next try here finds the lease taken. A batch already in flight when the takeover comes commits
 * first: the takeover waits for it, and the new holder's consumer reads the offset it stored. The holder's own
 * renewal waits for at most that one batch too, far less than the third of a lease between tries. Two processes
 * started with the same {@code INSTANCE_ID} do not share the lease: a renewal must present the current epoch, so
 * the second waits as a standby (a restart after a crash therefore waits up to one lease duration).
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
  private final Function<StreamLeaseToken, StreamStarter> starters;
  private final Object lock = new Object();
  private StreamStarter running;
  /** The lease this instance holds (the running consumer's), null when it holds none. */
  private StreamLeaseToken token;
  private volatile View view;
  private boolean closed;
  private final ScheduledExecutorService thread = BackgroundThread.named("tally-stream-lease");

  /**
   * @param starters a new, not yet started, consumer starter for each time this instance takes the lease, whose
   *     batches carry that taking's token
   */
  StreamLeaseHolder(StreamLeases leases, String stream, String consumerName, TallyConfig.StreamLease lease,
      Function<StreamLeaseToken, StreamStarter> starters) {
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
      StreamLeaseToken held;
      synchronized (lock) {
        held = token;
        token = null;
      }
      release(held);
    }
  }

  private void release(StreamLeaseToken held) {
    if (held == null) {
      return;
    }
    try {
      leases.release(held);
    } catch (RuntimeException e) {
      LOG.atWarn().log("stream lease not released (it expires by itself): {}", e.getMessage());
    }
  }

  /** One try: take or renew the lease, then start or stop consuming to match. */
  void tick() {
    Optional<StreamLeaseToken> mine;
    synchronized (lock) {
      mine = Optional.ofNullable(token);
    }
    Optional<StreamLeaseToken> held;
    try {
      held = leases.acquireOrRenew(stream, consumerName, instance, mine, duration);
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
      if (held.isPresent()) {
        if (running != null && !held.get().equals(token)) {
          // Taken again under a new epoch after it lapsed to another instance: the old consumer's batches are
          // refused now, and its position is stale; a fresh consumer reads the stored offset.
          stopConsuming("the lease was taken again under a new epoch");
        }
        token = held.get();
        if (running == null) {
          LOG.atInfo().addKeyValue("instance", instance).addKeyValue("stream", stream)
              .addKeyValue("epoch", token.epoch()).log("took the stream lease: consuming");
          running = starters.apply(token).start();
        }
        view = new View(instance, Optional.of(instance), true);
        return;
      }
      token = null;
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
    StreamLeaseToken held;
    synchronized (lock) {
      held = token;
      token = null;
      if (running != null) {
        running.close();
        running = null;
      }
    }
    release(held);
  }
}
