package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.Message;
import com.rabbitmq.stream.MessageHandler;
import com.rabbitmq.stream.Properties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The bounded hand-over between the stream client's thread, which {@link #offer}s each delivered message, and the
 * consumer's worker, which {@link #collect}s batches and {@link #release}s them once committed. At most
 * {@code capacity} uncommitted messages are held: the client thread blocks (as a last resort) when the buffer is
 * full, and credits are granted only as the worker takes messages, so a stuck sink stops the broker's delivery.
 */
final class MessageBuffer {
  private static final long POLL_MILLIS = 100;

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Semaphore slots;
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicInteger maxBuffered = new AtomicInteger();
  /** Highest offset accepted into the buffer; -1 before the first. Guards against chunk-level redelivery. */
  private volatile long highWater = -1;

  /** One buffered message with the client context that grants its credit. */
  record Pending(StreamMessage message, MessageHandler.Context context) {}

  /** @param capacity most uncommitted messages held at once */
  MessageBuffer(int capacity) {
    this.slots = new Semaphore(capacity);
  }

  /**
   * Client thread: buffers a delivered message, waiting for room; skips one already buffered.
   *
   * @param draining true once the consumer stops taking messages
   */
  void offer(MessageHandler.Context context, Message message, BooleanSupplier draining) {
    long offset = context.offset();
    if (draining.getAsBoolean()) return;
    if (offset <= highWater) {
      // Delivery starts at chunk boundaries: after a resubscription the first chunk repeats buffered messages.
      processed(context);
      return;
    }
    try {
      while (!slots.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (draining.getAsBoolean()) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Properties props = message.getProperties();
    Optional<String> contentType = Optional.ofNullable(props == null ? null : props.getContentType());
    long publishedAt = props == null ? 0 : props.getCreationTime();
    byte[] body = message.getBodyAsBinary();
    StreamMessage m = new StreamMessage(offset, body == null ? new byte[0] : body, contentType, Math.max(0, publishedAt));
    highWater = offset;
    int now = buffered.incrementAndGet();
    maxBuffered.accumulateAndGet(now, Math::max);
    queue.add(new Pending(m, context));
  }

  /**
   * Worker: the next batch, up to {@code batchSize} messages, waiting up to {@code maxWait} after the first;
   * empty when nothing arrived within a short poll.
   *
   * @param draining true once the consumer stops taking messages (then the batch closes as soon as the queue is empty)
   */
  List<Pending> collect(int batchSize, Duration maxWait, BooleanSupplier draining) throws InterruptedException {
    List<Pending> batch = new ArrayList<>(batchSize);
    Pending first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
    if (first == null) return batch;
    take(batch, first);
    long deadline = System.nanoTime() + maxWait.toNanos();
    List<Pending> drained = new ArrayList<>();
    while (batch.size() < batchSize) {
      // Bulk drain takes the queue lock once per run of messages instead of once per message.
      queue.drainTo(drained, batchSize - batch.size());
      for (Pending p : drained) take(batch, p);
      int got = drained.size();
      drained.clear();
      if (batch.size() >= batchSize || (got == 0 && draining.getAsBoolean())) break;
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) break;
      if (got == 0) {
        Pending next = queue.poll(remaining, TimeUnit.NANOSECONDS);
        if (next == null) break;
        take(batch, next);
      }
    }
    return batch;
  }

  /** Worker: frees the room of {@code count} committed messages. */
  void release(int count) {
    buffered.addAndGet(-count);
    slots.release(count);
  }

  /** @return the highest offset ever buffered, -1 before the first */
  long highWater() {
    return highWater;
  }

  /** @return messages received and not yet committed */
  int size() {
    return buffered.get();
  }

  /** @return the most messages ever buffered at once */
  int maxObserved() {
    return maxBuffered.get();
  }

  private static void take(List<Pending> batch, Pending p) {
    batch.add(p);
    // Credit as messages leave the buffer, not at commit: the next chunks then arrive while this batch
    // commits, and a stuck sink still stops the flow because the worker stops taking.
    processed(p.context());
  }

  private static void processed(MessageHandler.Context context) {
    try {
      context.processed();
    } catch (RuntimeException ignored) {
      // The subscription that delivered it is gone (connection lost); its credits no longer matter.
    }
  }
}
