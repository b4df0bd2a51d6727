package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventAggregator;
import io.tally.analytics.core.analyticsevent.EventCursor;
import io.tally.analytics.core.analyticsevent.EventField;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analytics-store port over any {@link EventPartitions}: the one algorithm the three document stores share.
 *
 * <ul>
 *   <li><b>Ingest</b> creates the event in its partition, then claims (tenant, event id). A claim that already
 *       exists means a redelivery that landed in another partition (another time or project): the copy just
 *       written is removed and the first write wins. An event that already exists in its partition re-creates a
 *       missing claim (a crash between the two writes), so no transaction is needed.
 *   <li><b>Query</b> reads the partitions the filter can touch (markers by project and day) in store order, merges
 *       them and pages with the core {@link EventCursor} keyset (occurredAt, eventId), which every partition can
 *       seek to. {@code total} is the sum of the stores' native counts.
 *   <li><b>Aggregate</b> streams the matching events through {@link EventAggregator}, stopping with
 *       {@code query.too_broad} past the route's {@link io.tally.analytics.core.analyticsevent.ScanLimit}.
 *   <li><b>Expiry</b>: each event carries its expiry (the route's {@code ttl_days} after it occurred) for the
 *       store's TTL, and every read skips expired events, since TTL deletion is lazy.
 *   <li><b>Erasure</b> deletes by claim (one event) or by the user's keys (all of a user's events, expired or not).
 * </ul>
 */
public final class PartitionedAnalyticsStore implements AnalyticsStore, AutoCloseable {
  private final EventPartitions partitions;
  private final StoreSettings settings;
  // Markers written by this process: one write per (tenant, project, day) instead of one per event.
  private final Set<String> marked = ConcurrentHashMap.newKeySet();

  /**
   * @param partitions the vendor side
   * @param settings retention, scan limit, clock
   */
  public PartitionedAnalyticsStore(EventPartitions partitions, StoreSettings settings) {
    this.partitions = Objects.requireNonNull(partitions, "partitions");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** @return the backend's wire name */
  public String backend() {
    return partitions.backend();
  }

  @Override
  public boolean ingest(AnalyticsEvent event) {
    LocalDate day = dayOf(event.occurredAt());
    if (marked.add(event.tenantId() + "\u0000" + event.projectId() + "\u0000" + day)) {
      try {
        partitions.mark(event.tenantId(), event.projectId(), day);
      } catch (RuntimeException e) {
        marked.remove(event.tenantId() + "\u0000" + event.projectId() + "\u0000" + day);
        throw e;
      }
    }
    String partition = partitions.partitionOf(event);
    StoredKey key = StoredKey.of(partition, event);
    Instant expiresAt = Retention.expiryOf(settings.retention(), event.occurredAt());
    if (!partitions.createEvent(partition, event, expiresAt)) {
      partitions.createClaim(key);
      return false;
    }
    if (partitions.createClaim(key)) {
      return true;
    }
    Optional<StoredKey> first = partitions.readClaim(event.tenantId(), event.eventId());
    if (first.isPresent() && !first.get().equals(key)) {
      partitions.deleteEvent(key);
      return false;
    }
    // The claim pointed here already (a retried ingest whose first try wrote the claim and then failed).
    return true;
  }

  @Override
  public AnalyticsPage query(AnalyticsQuery query) {
    EventFilter filter = query.filter();
    Optional<EventCursor> after = query.cursor().map(EventCursor::decode);
    PartitionRead read = read(filter, filter.fields(), after, Optional.of(settings.clock().now()),
        query.limit() + 1);
    List<String> touched = partitionsFor(filter, after);
    List<AnalyticsEvent> rows = new ArrayList<>();
    Iterator<AnalyticsEvent> merged = merged(touched, read);
    while (merged.hasNext() && rows.size() <= query.limit()) {
      rows.add(merged.next());
    }
    long total = 0;
    for (String p : partitionsFor(filter, Optional.empty())) {
      total += partitions.count(p, read.fromStart());
    }
    boolean more = rows.size() > query.limit();
    List<AnalyticsEvent> page = more ? rows.subList(0, query.limit()) : rows;
    Optional<String> next = more ? Optional.of(EventCursor.after(page.get(page.size() - 1)).encode()) : Optional.empty();
    // A page is read after the count, so events ingested in between can make it larger than the count.
    return new AnalyticsPage(page, Math.max(total, page.size()), query.limit(), next);
  }

  @Override
  public AggregationResult aggregate(AggregationSpec spec, EventFilter filter) {
    Map<EventField, String> fields = new EnumMap<>(EventField.class);
    fields.putAll(filter.fields());
    Optional<String> type = spec.metric().eventType();
    if (type.isPresent()) {
      String asked = fields.putIfAbsent(EventField.EVENT_TYPE, type.get());
      if (asked != null && !asked.equals(type.get())) {
        return AggregationResult.empty(spec.metric().name());
      }
    }
    PartitionRead read = read(filter, fields, Optional.empty(), Optional.of(settings.clock().now()), 500);
    List<String> touched = partitionsFor(filter, Optional.empty());
    Iterable<AnalyticsEvent> events = () -> merged(touched, read);
    return EventAggregator.aggregate(spec, filter, events, settings.scanLimit());
  }

  @Override
  public boolean delete(String tenantId, String eventId) {
    Optional<StoredKey> key = partitions.readClaim(tenantId, eventId);
    if (key.isEmpty()) {
      return false;
    }
    boolean existed = partitions.deleteEvent(key.get());
    partitions.deleteClaim(tenantId, eventId);
    return existed;
  }

  @Override
  public long deleteByUser(String tenantId, String userId) {
    List<String> all = partitionsFor(EventFilter.allOf(tenantId), Optional.empty());
    return partitions.deleteEventsAndClaims(partitions.keysOfUser(tenantId, userId, all));
  }

  @Override
  public void close() {
    partitions.close();
  }

  private Iterator<AnalyticsEvent> merged(List<String> touched, PartitionRead read) {
    List<Iterator<AnalyticsEvent>> its = new ArrayList<>();
    for (String p : touched) {
      its.add(partitions.read(p, read));
    }
    return new MergedEvents(its);
  }

  private static PartitionRead read(EventFilter filter, Map<EventField, String> fields, Optional<EventCursor> after,
      Optional<Instant> now, int pageSize) {
    return new PartitionRead(fields, filter.start().map(OccurredKey::of).orElse(OccurredKey.LOWEST),
        filter.end().map(OccurredKey::of).orElse(OccurredKey.HIGHEST), after, now, pageSize);
  }

  /** Partitions of the filter's project (or all projects) on the days its range, and cursor, leave open. */
  private List<String> partitionsFor(EventFilter filter, Optional<EventCursor> after) {
    Optional<String> project = Optional.ofNullable(filter.fields().get(EventField.PROJECT_ID));
    Optional<LocalDate> from = filter.start().map(PartitionedAnalyticsStore::dayOf);
    if (after.isPresent()) {
      LocalDate cursorDay = dayOf(after.get().occurredAt());
      from = Optional.of(from.filter(d -> d.isAfter(cursorDay)).orElse(cursorDay));
    }
    Optional<LocalDate> to = filter.end().map(e -> dayOf(e.minusNanos(1)));
    Set<String> result = new LinkedHashSet<>();
    for (EventPartitions.PartitionMark m : partitions.marks(filter.tenantId())) {
      if (project.isPresent() && !project.get().equals(m.project())) {
        continue;
      }
      if (m.day().isPresent()) {
        LocalDate d = m.day().get();
        if (from.map(d::isBefore).orElse(false) || to.map(d::isAfter).orElse(false)) {
          continue;
        }
      }
      result.addAll(partitions.partitionsOf(filter.tenantId(), m.project(), m.day().orElse(LocalDate.EPOCH)));
    }
    return List.copyOf(result);
  }

  private static LocalDate dayOf(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
