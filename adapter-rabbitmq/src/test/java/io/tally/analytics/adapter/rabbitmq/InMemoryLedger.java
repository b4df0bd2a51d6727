package io.tally.analytics.adapter.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in database: one "transaction" stores a batch's rows and its offset together, like the PostgreSQL
 * adapter will. It counts deliveries per event id instead of deduplicating them, so a test sees duplicates.
 */
final class InMemoryLedger implements RestartLedger {
  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

  private final Map<String, Integer> rows = new HashMap<>();
  private final Map<String, Long> offsets = new HashMap<>();
  private int deadLetters;
  private int overlappingBatches;
  private volatile boolean down;
  private final SinkGate gate = new SinkGate();

  void down(boolean value) {
    down = value;
  }

  @Override
  public SinkGate gate() {
    return gate;
  }

  @Override
  public synchronized OptionalLong committedOffset(String stream, String consumer) {
    if (down) throw new IllegalStateException("database down");
    Long o = offsets.get(stream + "/" + consumer);
    return o == null ? OptionalLong.empty() : OptionalLong.of(o);
  }

  @Override
  public void accept(StreamBatch batch) throws Exception {
    gate.pass();
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

  @Override
  public synchronized int rowCount() {
    return rows.size();
  }

  synchronized int deliveries() {
    return rows.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Override
  public synchronized int duplicates() {
    return deliveries() - rows.size();
  }

  synchronized int deadLetters() {
    return deadLetters;
  }

  @Override
  public synchronized int overlappingBatches() {
    return overlappingBatches;
  }

  synchronized boolean hasRow(String eventId) {
    return rows.containsKey(eventId);
  }
}
