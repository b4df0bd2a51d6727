package io.tally.analytics.adapter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in database: one "transaction" stores a batch's rows and its offset together, like the PostgreSQL
 * adapter will. It counts deliveries per event id instead of deduplicating them, so a test sees duplicates.
 */
final class InMemoryLedger implements OffsetSource, StreamBatchSink {
  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

  private final Map<String, Integer> rows = new HashMap<>();
  private final Map<String, Long> offsets = new HashMap<>();
  private int deadLetters;
  private int overlappingBatches;
  private volatile boolean down;
  private volatile long slowMillis;
  private volatile CountDownLatch gate;

  void down(boolean value) {
    down = value;
  }

  void slow(long millisPerBatch) {
    slowMillis = millisPerBatch;
  }

  /** Every accept blocks until the returned latch is released. */
  CountDownLatch block() {
    CountDownLatch l = new CountDownLatch(1);
    gate = l;
    return l;
  }

  void unblock() {
    CountDownLatch l = gate;
    gate = null;
    if (l != null) l.countDown();
  }

  @Override
  public synchronized OptionalLong committedOffset(String stream, String consumer) {
    if (down) throw new IllegalStateException("database down");
    Long o = offsets.get(stream + "/" + consumer);
    return o == null ? OptionalLong.empty() : OptionalLong.of(o);
  }

  @Override
  public void accept(StreamBatch batch) throws Exception {
    CountDownLatch l = gate;
    if (l != null) l.await(60, TimeUnit.SECONDS);
    if (slowMillis > 0) Thread.sleep(slowMillis);
    if (down) throw new IllegalStateException("database down");
    synchronized (this) {
      String key = batch.stream() + "/" + batch.consumer();
      Long previous = offsets.get(key);
      if (previous != null && batch.firstOffset() <= previous) overlappingBatches++;
      for (StreamMessage m : batch.messages()) {
        Matcher id = EVENT_ID.matcher(new String(m.body(), StandardCharsets.UTF_8));
        if (!m.isJson() || !id.find()) {
          deadLetters++;
        } else {
          rows.merge(id.group(1), 1, Integer::sum);
        }
      }
      offsets.merge(key, batch.lastOffset(), Math::max);
    }
  }

  synchronized int rowCount() {
    return rows.size();
  }

  synchronized int deliveries() {
    return rows.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized int duplicates() {
    return deliveries() - rows.size();
  }

  synchronized int deadLetters() {
    return deadLetters;
  }

  synchronized int overlappingBatches() {
    return overlappingBatches;
  }

  synchronized boolean hasRow(String eventId) {
    return rows.containsKey(eventId);
  }
}
