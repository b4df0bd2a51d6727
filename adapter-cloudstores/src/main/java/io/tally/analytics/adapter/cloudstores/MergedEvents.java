package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * A k-way merge of partitions that are each in store order: the result is in store order and pulls from a
 * partition only when its head is the smallest, so a page of {@code n} reads about {@code n} events plus one page
 * per partition.
 */
final class MergedEvents implements Iterator<AnalyticsEvent> {
  private record Head(AnalyticsEvent event, Iterator<AnalyticsEvent> rest) {}

  private final PriorityQueue<Head> heads =
      new PriorityQueue<>((a, b) -> AnalyticsEvent.STORE_ORDER.compare(a.event(), b.event()));

  MergedEvents(List<Iterator<AnalyticsEvent>> partitions) {
    partitions.forEach(this::advance);
  }

  @Override
  public boolean hasNext() {
    return !heads.isEmpty();
  }

  @Override
  public AnalyticsEvent next() {
    Head head = heads.poll();
    if (head == null) {
      throw new NoSuchElementException();
    }
    advance(head.rest());
    return head.event();
  }

  private void advance(Iterator<AnalyticsEvent> it) {
    if (it.hasNext()) {
      heads.add(new Head(it.next(), it));
    }
  }
}
