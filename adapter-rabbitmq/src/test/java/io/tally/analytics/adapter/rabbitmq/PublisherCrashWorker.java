package io.tally.analytics.adapter.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The publisher that {@link PublisherCrashIT} runs as a separate JVM and kills with SIGKILL.
 *
 * <p>It behaves like a service with a replayable source: event {@code i} is always the same bytes and always
 * publishing id {@code i}, so after a crash it reopens under the same producer name and resumes at
 * {@link UsageEventPublisher#lastPublishingId()} + 1. It talks to the test through stdout lines:
 * <ul>
 *   <li>{@code RESUME <lastPublishingId>} once the producer is open;</li>
 *   <li>{@code PUBLISHED <highest confirmed id>} each time confirms pass another multiple of 1,000;</li>
 *   <li>{@code DONE <lastPublishingId>} after the last event is confirmed;</li>
 *   <li>{@code FAILED <reason>} (exit 2) on any error.</li>
 * </ul>
 *
 * <p>Arguments: {@code <uri> <stream> <producerName> <total> <maxInFlight> <maxPerSecond>}. The pace keeps a
 * kill mid-way on a fast machine: unpaced, the last stretch can be published between the test seeing its
 * threshold and the kill.
 */
public final class PublisherCrashWorker {
  static final String RESUME = "RESUME ";
  static final String PUBLISHED = "PUBLISHED ";
  static final String DONE = "DONE ";
  static final String FAILED = "FAILED ";
  private static final int PROGRESS_EVERY = 1_000;

  private PublisherCrashWorker() {}

  /** The fixed usage event for position {@code i}; only the event id varies. */
  static byte[] event(long i) {
    return ("{\"eventId\":\"crash-" + i + "\",\"orgId\":\"00000000-0000-0000-0000-000000000001\","
        + "\"occurredAt\":\"2025-11-03T10:15:30.123Z\",\"modelId\":\"llama-3-70b\",\"inputTokens\":812,"
        + "\"outputTokens\":230,\"latencyMs\":912,\"status\":\"success\"}").getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    if (args.length != 6) {
      System.out.println(FAILED + "usage: <uri> <stream> <producerName> <total> <maxInFlight> <maxPerSecond>");
      System.exit(2);
    }
    StreamSettings settings = StreamSettings.builder().uri(args[0]).stream(args[1]).build();
    String producerName = args[2];
    long total = Long.parseLong(args[3]);
    int maxInFlight = Integer.parseInt(args[4]);
    long maxPerSecond = Long.parseLong(args[5]);
    exitWhenParentGoes();
    try (UsageEventPublisher publisher = UsageEventPublisher.builder(settings)
        .producerName(producerName)
        .maxInFlight(maxInFlight)
        .open()) {
      long resumeAt = publisher.lastPublishingId() + 1;
      say(RESUME + (resumeAt - 1));
      long reported = (resumeAt - 1) / PROGRESS_EVERY;
      long startedNanos = System.nanoTime();
      for (long i = resumeAt; i <= total; i++) {
        if ((i - resumeAt) % PROGRESS_EVERY == 0) pace(i - resumeAt, maxPerSecond, startedNanos);
        publisher.publish(i, event(i));
        long confirmed = publisher.highestConfirmedId();
        if (confirmed / PROGRESS_EVERY > reported) {
          reported = confirmed / PROGRESS_EVERY;
          say(PUBLISHED + confirmed);
        }
      }
      publisher.flush(Duration.ofSeconds(60));
      say(DONE + publisher.lastPublishingId());
    } catch (RuntimeException e) {
      say(FAILED + e);
      System.exit(2);
    }
    // Stray client threads must not keep the JVM alive once the work is confirmed.
    System.exit(0);
  }

  /**
   * The test holds this process's stdin open; end of input means the test JVM is gone (killed, timed out), and
   * an orphaned publisher must not keep writing to a stream nobody will delete.
   */
  private static void exitWhenParentGoes() {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the test never writes; keep waiting for end of input
        }
      } catch (IOException ignored) {
        // treated as end of input
      }
      System.exit(3);
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void pace(long sent, long maxPerSecond, long startedNanos) {
    long dueNanos = startedNanos + sent * 1_000_000_000L / maxPerSecond;
    long waitNanos = dueNanos - System.nanoTime();
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
