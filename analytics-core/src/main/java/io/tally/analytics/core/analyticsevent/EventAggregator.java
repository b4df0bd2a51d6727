package io.tally.analytics.core.analyticsevent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Computes an {@link AggregationResult} from events in memory. Backends that cannot aggregate natively
 * (document stores scanned by partition) use it, so every backend groups and orders identically: by bucket
 * start, then by the group-by values in order.
 */
public final class EventAggregator {
  private static final Comparator<List<String>> VALUES = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };
  private static final Comparator<GroupKey> ORDER = Comparator
      .comparing((GroupKey k) -> k.bucket().orElse(Instant.MIN))
      .thenComparing(GroupKey::values, VALUES);

  private EventAggregator() {}

  /**
   * @param spec metric, group-by and bucket
   * @param filter which events count (applied here too, so callers may pass a superset)
   * @param events candidate events
   * @return the result
   */
  public static AggregationResult aggregate(AggregationSpec spec, EventFilter filter,
      Iterable<AnalyticsEvent> events) {
    return aggregate(spec, filter, events, new ScanLimit(Long.MAX_VALUE));
  }

  /**
   * Streams {@code events} (read lazily from a backend) and stops with {@value ScanLimit#TOO_BROAD} as soon as
   * more than the limit have been read, so a tenant-wide aggregation cannot read a whole store.
   *
   * @param spec metric, group-by and bucket
   * @param filter which events count
   * @param events candidate events, pulled one at a time
   * @param limit most events read
   * @return the result
   */
  public static AggregationResult aggregate(AggregationSpec spec, EventFilter filter,
      Iterable<AnalyticsEvent> events, ScanLimit limit) {
    TreeMap<GroupKey, Long> counts = new TreeMap<>(ORDER);
    long total = 0;
    long scanned = 0;
    for (AnalyticsEvent e : events) {
      limit.check(++scanned);
      if (filter.matches(e) && spec.metric().counts(e)) {
        List<String> values = spec.groupBy().stream().map(f -> f.valueOf(e).orElse(AggregationGroup.NONE)).toList();
        counts.merge(new GroupKey(spec.bucket().map(b -> b.bucketStart(e.occurredAt())), values), 1L, Long::sum);
        total++;
      }
    }
    List<AggregationGroup> groups = new ArrayList<>();
    counts.forEach((k, n) -> {
      Map<String, String> named = new LinkedHashMap<>();
      for (int i = 0; i < spec.groupBy().size(); i++) {
        named.put(spec.groupBy().get(i).wireName(), k.values().get(i));
      }
      groups.add(new AggregationGroup(named, k.bucket(), n));
    });
    return new AggregationResult(spec.metric().name(), total, groups);
  }

  private record GroupKey(Optional<Instant> bucket, List<String> values) {}
}
