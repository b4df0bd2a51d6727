package io.tally.analytics.adapter.rabbitmq;

import com.rabbitmq.stream.Consumer;
import com.rabbitmq.stream.Environment;
import com.rabbitmq.stream.OffsetSpecification;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the offset of the last message in a stream by reading its last chunk.
 *
 * <p>Why not {@code Environment.queryStreamStats}: stream-client 0.23's {@code StreamStats} only has
 * {@code committedChunkId()} (the first offset of the last chunk, not the last offset), and RabbitMQ 3.10
 * does not implement the stream-stats command at all (the call fails after retries). Reading the last chunk
 * works on every broker version and is exact. Public for operators' tools and tests that need the stream's
 * end, for example to wait until a consumer has committed everything.
 */
public final class StreamTailProbe {
  private static final long QUIET_MILLIS = 100;

  private final Environment environment;
  private final String stream;
  private final Duration wait;

  /**
   * @param environment an open connection; the probe subscribes through it briefly and does not close it
   * @param stream the stream to probe
   * @param wait how long to wait for the last chunk to arrive (and, once it does, to be dispatched whole)
   */
  public StreamTailProbe(Environment environment, String stream, Duration wait) {
    this.environment = environment;
    this.stream = stream;
    this.wait = wait;
  }

  /** @return the last offset, empty when the stream holds no message; throws if the broker is unreachable */
  public OptionalLong lastOffset() throws InterruptedException {
    AtomicLong max = new AtomicLong(-1);
    CountDownLatch first = new CountDownLatch(1);
    Consumer probe = environment.consumerBuilder()
        .stream(stream)
        .offset(OffsetSpecification.last())
        .noTrackingStrategy()
        .messageHandler((ctx, message) -> {
          max.accumulateAndGet(ctx.offset(), Math::max);
          first.countDown();
        })
        .build();
    try {
      if (first.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        awaitQuiet(max);
      }
    } finally {
      probe.close();
    }
    long last = max.get();
    return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
  }

  /**
   * Probes until two readings in a row agree, at most {@code maxProbes} times. One reading can come back low
   * when the dispatching thread stalls for longer than the quiet period inside a large last chunk; for the
   * consumer's lag that corrects itself on the next probe, but a tool that takes the answer as the stream's end
   * (to wait for a consumer to commit everything, say) needs it settled.
   *
   * @return the last offset, empty when the stream holds no message
   * @throws IllegalStateException when the readings never agree (the stream is still being written to)
   */
  public OptionalLong settledLastOffset(int maxProbes) throws InterruptedException {
    OptionalLong previous = lastOffset();
    for (int i = 1; i < maxProbes; i++) {
      OptionalLong current = lastOffset();
      if (current.equals(previous)) return current;
      previous = current;
    }
    throw new IllegalStateException("the end of " + stream + " kept moving over " + maxProbes + " probes");
  }

  /**
   * A chunk is decoded and dispatched message by message, and the last chunk can hold thousands: a fixed
   * 50 ms pause once reported 28,517 for a stream ending at 30,961 (cold JIT, busy machine). Wait until the
   * highest offset stops moving for {@value #QUIET_MILLIS} ms instead, bounded by the probe's wait.
   */
  private void awaitQuiet(AtomicLong max) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long seen;
    do {
      seen = max.get();
      Thread.sleep(QUIET_MILLIS);
    } while (max.get() != seen && System.nanoTime() < deadline);
  }
}
