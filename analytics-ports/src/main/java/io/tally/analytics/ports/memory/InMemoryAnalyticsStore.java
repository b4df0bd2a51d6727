package io.tally.analytics.ports.memory;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventAggregator;
import io.tally.analytics.core.analyticsevent.EventCursor;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test-only {@link AnalyticsStore}. It lives in the test-jar on purpose: route-or-reject forbids an in-memory
 * fallback in production, so main code has no in-memory store to fall back to.
 */
public final class InMemoryAnalyticsStore implements AnalyticsStore {
  private final Map<String, AnalyticsEvent> events = new LinkedHashMap<>();

  @Override
  public synchronized boolean ingest(AnalyticsEvent event) {
    return events.putIfAbsent(key(event.tenantId(), event.eventId()), event) == null;
  }

  @Override
  public synchronized AnalyticsPage query(AnalyticsQuery query) {
    List<AnalyticsEvent> matching = events.values().stream().filter(query.filter()::matches)
        .sorted(AnalyticsEvent.STORE_ORDER).toList();
    Optional<EventCursor> after = query.cursor().map(EventCursor::decode);
    List<AnalyticsEvent> rest = matching.stream().filter(e -> after.map(c -> c.isBefore(e)).orElse(true))
        .limit(query.limit() + 1L).toList();
    boolean more = rest.size() > query.limit();
    List<AnalyticsEvent> page = more ? rest.subList(0, query.limit()) : rest;
    return new AnalyticsPage(page, matching.size(), query.limit(),
        more ? Optional.of(EventCursor.after(page.get(page.size() - 1)).encode()) : Optional.empty());
  }

  @Override
  public synchronized AggregationResult aggregate(AggregationSpec spec, EventFilter filter) {
    return EventAggregator.aggregate(spec, filter, new ArrayList<>(events.values()));
  }

  @Override
  public synchronized boolean delete(String tenantId, String eventId) {
    return events.remove(key(tenantId, eventId)) != null;
  }

  @Override
  public synchronized long deleteByUser(String tenantId, String userId) {
    int before = events.size();
    events.values().removeIf(e -> e.tenantId().equals(tenantId) && e.userId().map(userId::equals).orElse(false));
    return before - events.size();
  }

  /** @return how many events are stored, across tenants */
  public synchronized int size() {
    return events.size();
  }

  private static String key(String tenantId, String eventId) {
    return tenantId + "\u0000" + eventId;
  }
}
