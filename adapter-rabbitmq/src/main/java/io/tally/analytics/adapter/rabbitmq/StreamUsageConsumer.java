package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.ConsumerFlowStrategy;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.MessageHandler;
import com.rabbitmq.stream.OffsetSpecification;
import io.tally.analytics.core.usage.StreamLeaseLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the usage stream in batches and hands each batch to a {@link StreamBatchSink} that commits rows
 * and offset together; resumes after the committed offset read from an {@link OffsetSource}.
 *
 * <p>Guarantees (effectively-once with an idempotent, transactional sink):
 * <ul>
 *   <li>The start position is the committed offset + 1 from the {@code OffsetSource}, never the broker's
 *       offset store. After a lost connection the client resubscribes after the highest offset already
 *       buffered, which the worker will commit (it never skips a batch).</li>
 *   <li>A batch failing in the sink is retried, the same batch, with exponential back-off; nothing after it is
 *       committed meanwhile.</li>
 *   <li>Memory is bounded: at most {@link StreamSettings#maxBufferedMessages()} uncommitted messages are held.
 *       Credits are granted only as the worker takes messages, so a stuck sink stops the broker's delivery
 *       after {@link StreamSettings#initialCredits()} chunks; the handler blocks as a last resort.</li>
 *   <li>The broker's server-side offset store receives the committed offset after each commit, for lag
 *       monitoring only.</li>
 *   <li>A batch refused with {@link StreamLeaseLostException} (its lease changed hands) is not retried: the
 *       consumer logs why once and stops ({@link ConsumerState#STOPPED}) without committing anything more.</li>
 *   <li>{@link #close()} stops taking messages, commits what is buffered, stores the offset and closes.</li>
 * </ul>
 *
 * <p>Thread roles: the client's thread fills the {@link MessageBuffer}; this class's preparer thread takes batches
 * from it in offset order and has the sink prepare each ({@link StreamBatchSink#prepare}: decoding and validation,
 * nothing written) while this class's worker thread commits the batch before it (retrying with the shared
 * {@link Backoff}); the {@link StreamHealthMonitor}'s threads probe the endpoint and the stream's tail. At most one
 * prepared batch waits for the worker, and every uncommitted message counts against the buffer's bound.
 */
public final class StreamUsageConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamUsageConsumer.class);
  private static final long MIRROR_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final StreamSettings settings;
  private final OffsetSource offsets;
  private final StreamBatchSink sink;
  private final Environment environment;
  private final boolean ownsEnvironment;
  private final Backoff backoff;
  private final Duration shutdownTimeout;
  private final Duration monitorInterval;
  private final MessageBuffer buffer;
  private final StreamHealthMonitor health;

  private final AtomicLong committedMessages = new AtomicLong();
  private final AtomicLong committedBatches = new AtomicLong();
  private final AtomicLong sinkFailures = new AtomicLong();
  private final AtomicLong subscriptions = new AtomicLong();
  private final AtomicLong lastBatchNanos = new AtomicLong();

  private volatile OffsetSpecification startSpec;
  private volatile long lastCommitted = -1;
  /** Broker timestamp (epoch millis) of the chunk holding the last committed message; 0 before the first commit. */
  private volatile long lastCommittedChunkMillis;
  private volatile boolean started;
  private volatile boolean sinkFailing;
  /** The first subscription keeps failing. */
  private volatile boolean brokerDown;
  private volatile boolean draining;
  private volatile boolean abandoned;
  private volatile boolean stopped;
  /** A batch was refused because the lease it was consumed under changed hands: the worker stopped. */
  private volatile boolean fenced;
  private volatile Consumer consumer;
  private long lastMirrorNanos;

  private final Thread worker;
  /** Decodes and validates the next batch while the worker commits the current one. */
  private final Thread preparer;
  /**
   * Prepared batches on their way from the preparer to the worker, in offset order. One slot: the worker commits
   * batch N while N+1 waits here and the preparer collects N+2 (all three within the buffer's bound).
   */
  private final BlockingQueue<Ready> ready = new ArrayBlockingQueue<>(1);

  private StreamUsageConsumer(Builder b, Backoff backoff, Environment environment, boolean ownsEnvironment) {
    this.settings = b.settings;
    this.offsets = b.offsets;
    this.sink = b.sink;
    this.environment = environment;
    this.ownsEnvironment = ownsEnvironment;
    this.backoff = backoff;
    this.shutdownTimeout = b.shutdownTimeout;
    this.monitorInterval = b.monitorInterval;
    this.buffer = new MessageBuffer(settings.maxBufferedMessages());
    this.health = new StreamHealthMonitor(settings, environment);
    this.worker = new Thread(this::runWorker, "tally-stream-" + settings.consumerName());
    this.preparer = new Thread(this::runPreparer, "tally-stream-" + settings.consumerName() + "-prepare");
  }

  /**
   * @param settings stream, consumer name, batch and buffer bounds
   * @param offsets where the committed offset is read at start
   * @param sink commits each batch's rows and last offset in one transaction
   */
  public static Builder builder(StreamSettings settings, OffsetSource offsets, StreamBatchSink sink) {
    return new Builder(settings, offsets, sink);
  }

  private void begin() {
    new StreamDeclarer(environment).declare(settings);
    worker.start();
    health.start(monitorInterval);
  }

  // ---- worker -------------------------------------------------------------------------------------------

  private void runWorker() {
    try {
      if (!resolveStart() || !subscribe()) return;
      preparer.start();
      while (!abandoned) {
        Ready next = ready.take();
        if (next == Ready.END) break;
        if (!commit(next)) return;
      }
      mirrorOffset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Stream consumer {} stopped on an unexpected error", settings.consumerName(), e);
    } finally {
      stopPreparer();
      closeSubscription();
    }
  }

  /**
   * Collects batches in offset order and prepares each ({@link StreamBatchSink#prepare}) while the worker commits
   * the one before; hands them over through {@link #ready}. Ends with {@link Ready#END} once draining and empty,
   * or on an unexpected error (the worker then stops, as it did when it collected itself).
   */
  private void runPreparer() {
    try {
      while (!abandoned) {
        List<MessageBuffer.Pending> pending = buffer.collect(settings.batchSize(), settings.maxWait(), () -> draining);
        if (pending.isEmpty()) {
          if (draining) break;
          continue;
        }
        ready.put(prepare(pending));
      }
      ready.put(Ready.END);
    } catch (InterruptedException e) {
      // The worker stopped (or is abandoning the tail): nothing more is committed.
    } catch (RuntimeException | Error e) {
      LOG.error("Stream consumer {} stopped on an unexpected error", settings.consumerName(), e);
      // The worker stops at once, as it did when it collected itself, instead of waiting for a batch forever.
      ready.clear();
      ready.offer(Ready.END);
      if (e instanceof Error error) throw error;
    }
  }

  private Ready prepare(List<MessageBuffer.Pending> pending) {
    List<StreamMessage> messages = new ArrayList<>(pending.size());
    for (MessageBuffer.Pending p : pending) messages.add(p.message());
    long chunkMillis = chunkTimestamp(pending.get(pending.size() - 1).context());
    StreamBatch batch = new StreamBatch(settings.stream(), settings.consumerName(),
        messages.get(0).offset(), messages.get(messages.size() - 1).offset(), messages);
    StreamBatchSink.Prepared prepared;
    try {
      prepared = sink.prepare(batch);
    } catch (RuntimeException e) {
      // Preparing writes nothing; the commit then does the whole batch the unpipelined way, with its retries.
      LOG.warn("Preparing batch {}..{} of {} failed; it is ingested in one step: {}", batch.firstOffset(),
          batch.lastOffset(), settings.stream(), e.toString());
      prepared = () -> sink.accept(batch);
    }
    return new Ready(batch, chunkMillis, prepared);
  }

  private void stopPreparer() {
    if (!preparer.isAlive()) return;
    preparer.interrupt();
    try {
      preparer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean resolveStart() throws InterruptedException {
    Optional<OptionalLong> committed = backoff.retry(
        () -> offsets.committedOffset(settings.stream(), settings.consumerName()),
        () -> !draining,
        (e, wait) -> {
          sinkFailing = true;
          LOG.warn("Cannot read the committed offset of {}/{} (retrying in {} ms): {}",
              settings.stream(), settings.consumerName(), wait.toMillis(), e.toString());
          return true;
        });
    committed.ifPresent(c -> {
      lastCommitted = c.orElse(-1);
      startSpec = c.isPresent() ? OffsetSpecification.offset(c.getAsLong() + 1) : OffsetSpecification.first();
      LOG.info("Stream consumer {} on {} starts at {}", settings.consumerName(), settings.stream(), startSpec);
    });
    return committed.isPresent();
  }

  private boolean subscribe() throws InterruptedException {
    Optional<Consumer> subscribed = backoff.retry(
        () -> environment.consumerBuilder()
            .stream(settings.stream())
            .name(settings.consumerName())
            // Manual tracking only so store() reaches the broker (with noTrackingStrategy() 0.23 drops it
            // silently); the start position always comes from the listener below, never from the broker.
            .manualTrackingStrategy().checkInterval(Duration.ZERO).builder()
            .subscriptionListener(ctx -> ctx.offsetSpecification(nextSubscriptionOffset()))
            .flow().strategy(ConsumerFlowStrategy.creditWhenHalfMessagesProcessed(settings.initialCredits())).builder()
            .messageHandler((context, message) -> buffer.offer(context, message, () -> draining))
            .build(),
        () -> !draining,
        (e, wait) -> {
          brokerDown = true;
          LOG.warn("Cannot subscribe to {} (retrying in {} ms): {}", settings.stream(), wait.toMillis(), e.toString());
          return true;
        });
    subscribed.ifPresent(c -> {
      consumer = c;
      started = true;
      brokerDown = false;
      sinkFailing = false;
    });
    return subscribed.isPresent();
  }

  private OffsetSpecification nextSubscriptionOffset() {
    long n = subscriptions.incrementAndGet();
    long hw = buffer.highWater();
    OffsetSpecification spec = hw >= 0 ? OffsetSpecification.offset(hw + 1) : startSpec;
    if (n > 1) {
      health.resubscribed();
      LOG.info("Stream consumer {} resubscribes to {} at {} after a lost connection", settings.consumerName(), settings.stream(), spec);
    }
    return spec;
  }

  private boolean commit(Ready next) throws InterruptedException {
    StreamBatch batch = next.batch();
    Optional<Long> took = backoff.retry(
        () -> {
          long t0 = System.nanoTime();
          next.prepared().commit();
          return System.nanoTime() - t0;
        },
        () -> true,
        (e, wait) -> {
          sinkFailures.incrementAndGet();
          Optional<StreamLeaseLostException> leaseLost = leaseLost(e);
          if (leaseLost.isPresent()) {
            // Not an outage: retrying cannot succeed, and another instance consumes now. Stop at once (the batch
            // wrote nothing); the lease holder closes this consumer at its next try.
            fenced = true;
            LOG.error("Stream consumer {} stops: batch {}..{} of {} refused ({}): {}", settings.consumerName(),
                batch.firstOffset(), batch.lastOffset(), settings.stream(), leaseLost.get().errorCode(),
                leaseLost.get().getMessage());
            return false;
          }
          sinkFailing = true;
          if (abandoned) return false;
          LOG.warn("Sink rejected batch {}..{} of {} (retrying the same batch in {} ms): {}",
              batch.firstOffset(), batch.lastOffset(), settings.stream(), wait.toMillis(), e.toString());
          return true;
        });
    if (took.isEmpty()) return false;
    lastBatchNanos.set(took.get());
    sinkFailing = false;
    lastCommitted = batch.lastOffset();
    lastCommittedChunkMillis = next.chunkMillis();
    committedMessages.addAndGet(batch.size());
    committedBatches.incrementAndGet();
    buffer.release(batch.size());
    long now = System.nanoTime();
    // Each store is an entry in the stream's log (it takes an offset): mirror at most once a second.
    if (now - lastMirrorNanos >= MIRROR_EVERY_NANOS) {
      lastMirrorNanos = now;
      mirrorOffset();
    }
    return true;
  }

  /** The lease loss behind a sink failure, also when a decorator (tracing, metrics) wrapped it. */
  private static Optional<StreamLeaseLostException> leaseLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamLeaseLostException lost) return Optional.of(lost);
    }
    return Optional.empty();
  }

  private static long chunkTimestamp(MessageHandler.Context context) {
    try {
      return Math.max(0, context.timestamp());
    } catch (RuntimeException unknown) {
      return 0;
    }
  }

  private void mirrorOffset() {
    Consumer c = consumer;
    long offset = lastCommitted;
    if (c == null || offset < 0) return;
    try {
      c.store(offset);
    } catch (RuntimeException e) {
      LOG.debug("Could not mirror offset {} to the broker: {}", offset, e.toString());
    }
  }

  private void closeSubscription() {
    Consumer c = consumer;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.debug("Closing the subscription failed: {}", e.toString());
      }
    }
  }

  /**
   * A batch ready to commit, or the end of the batches.
   *
   * @param batch the messages (null only in {@link #END})
   * @param chunkMillis broker timestamp of the chunk holding the last message
   * @param prepared what commits it
   */
  private record Ready(StreamBatch batch, long chunkMillis, StreamBatchSink.Prepared prepared) {
    static final Ready END = new Ready(null, 0, () -> {});
  }

  // ---- public view --------------------------------------------------------------------------------------

  /** @return the current state, for readiness */
  public ConsumerState state() {
    if (stopped || fenced) return ConsumerState.STOPPED;
    if (health.reconnecting() || brokerDown) return ConsumerState.RECONNECTING;
    if (sinkFailing) return ConsumerState.PAUSED;
    return started ? ConsumerState.RUNNING : ConsumerState.STARTING;
  }

  /** @return last offset committed through the sink (or found committed at start) */
  public OptionalLong lastCommittedOffset() {
    long o = lastCommitted;
    return o < 0 ? OptionalLong.empty() : OptionalLong.of(o);
  }

  /** @return messages in the stream after the committed offset, as of the last tail probe */
  public OptionalLong lag() {
    long t = health.tail();
    if (t < 0) return OptionalLong.empty();
    return OptionalLong.of(Math.max(0, t - lastCommitted));
  }

  /**
   * @return when the broker stored the last message committed by this instance (its chunk's timestamp, the
   *     broker's clock), empty before the first commit; with {@link #lag()} it says how far behind in time the
   *     consumer is
   */
  public Optional<java.time.Instant> lastCommittedTimestamp() {
    long millis = lastCommittedChunkMillis;
    return millis <= 0 ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(millis));
  }

  /** @return messages received and not yet committed */
  public int bufferedMessages() {
    return buffer.size();
  }

  /** @return the most messages ever buffered at once (never above {@link StreamSettings#maxBufferedMessages()}) */
  public int maxBufferedObserved() {
    return buffer.maxObserved();
  }

  /** @return duration of the last successful sink call */
  public Duration lastBatchDuration() {
    return Duration.ofNanos(lastBatchNanos.get());
  }

  /** @return a snapshot for readiness and metrics */
  public ConsumerStatus status() {
    long t = health.tail();
    return new ConsumerStatus(state(), lastCommittedOffset(), t < 0 ? OptionalLong.empty() : OptionalLong.of(t),
        lag(), buffer.size(), committedMessages.get(), committedBatches.get(), sinkFailures.get(), subscriptions.get());
  }

  /**
   * Graceful shutdown: stops taking messages, commits what is buffered through the sink (retrying for up to
   * the shutdown timeout), stores the offset on the broker and closes. Whatever is not committed by then is
   * delivered again to the next instance, from the committed offset.
   */
  @Override
  public void close() {
    if (stopped) return;
    draining = true;
    health.stop();
    try {
      worker.join(shutdownTimeout.toMillis());
      if (worker.isAlive()) {
        LOG.warn("Stream consumer {} did not drain within {}; abandoning the uncommitted tail", settings.consumerName(), shutdownTimeout);
        abandoned = true;
        worker.interrupt();
        worker.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped = true;
      if (ownsEnvironment) environment.close();
    }
  }

  /** Consumer options beyond {@link StreamSettings}. */
  public static final class Builder {
    private final StreamSettings settings;
    private final OffsetSource offsets;
    private final StreamBatchSink sink;
    private Duration retryMin = Duration.ofMillis(100);
    private Duration retryMax = Duration.ofSeconds(10);
    private Duration shutdownTimeout = Duration.ofSeconds(30);
    private Duration monitorInterval = Duration.ofSeconds(5);
    private Environment environment;

    private Builder(StreamSettings settings, OffsetSource offsets, StreamBatchSink sink) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.offsets = Objects.requireNonNull(offsets, "offsets");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** First and largest back-off between retries of a failing sink or offset read (default 100 ms .. 10 s). */
    public Builder retryBackoff(Duration min, Duration max) {
      this.retryMin = min;
      this.retryMax = max;
      return this;
    }

    /** How long {@link StreamUsageConsumer#close()} waits for the buffered messages to commit (default 30 s). */
    public Builder shutdownTimeout(Duration v) { this.shutdownTimeout = v; return this; }
    /** How often the stream tail is probed for lag and broker reachability (default 5 s). */
    public Builder monitorInterval(Duration v) { this.monitorInterval = v; return this; }
    /** Share an existing connection; the consumer will not close it. */
    public Builder environment(Environment v) { this.environment = v; return this; }

    /**
     * Connects, declares the stream if absent and starts consuming on its own thread.
     *
     * @throws StreamUnreachableException if the broker cannot be reached
     */
    public StreamUsageConsumer start() {
      Backoff backoff = new Backoff(retryMin, retryMax); // validates before a connection is opened
      Environment env = environment != null ? environment : StreamConnections.open(settings.uri(), "consumer-" + settings.consumerName());
      StreamUsageConsumer c = new StreamUsageConsumer(this, backoff, env, environment == null);
      try {
        c.begin();
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    }
  }
}
