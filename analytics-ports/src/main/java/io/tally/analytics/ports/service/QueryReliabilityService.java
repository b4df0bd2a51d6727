package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.percentile.ExactPercentiles;
import io.tally.analytics.core.percentile.LatencySketch;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.UsageEventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** Error rates and latency percentiles, from sketches or, for small ranges, exactly from raw events. */
public final class QueryReliabilityService implements QueryReliability {
  /** Default cap on raw events read by an exact query. */
  public static final long DEFAULT_MAX_EXACT_EVENTS = 200_000;

  private static final Comparator<SeriesKey> ORDER = Comparator.comparing(SeriesKey::bucketStart)
      .thenComparing(k -> k.modelId().orElse(""));

  private final AccessGuard accessGuard;
  private final RollupStore rollups;
  private final UsageEventStore events;
  private final FreshnessReader freshness;
  private final long maxExactEvents;

  /**
   * @param accessGuard authorizes {@code analytics:reliability:read} on the organisation
   * @param rollups rollup store (sketch method)
   * @param events raw events (exact method)
   * @param freshness freshness of the answer
   * @param maxExactEvents largest number of raw events an exact query may read
   */
  public QueryReliabilityService(AccessGuard accessGuard, RollupStore rollups, UsageEventStore events,
      FreshnessReader freshness, long maxExactEvents) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.events = Objects.requireNonNull(events, "events");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
    if (maxExactEvents <= 0) {
      throw new IllegalArgumentException("maxExactEvents must be > 0");
    }
    this.maxExactEvents = maxExactEvents;
  }

  @Override
  public ReliabilityReport query(ReliabilityQuery query) {
    accessGuard.require(query.actor(), Permission.RELIABILITY_READ, ResourceScope.org(query.orgId().toString()),
        "reliability.query");
    List<ReliabilityPoint> series = query.method() == PercentileMethod.SKETCH ? fromSketches(query) : exact(query);
    OptionalDouble accuracy = query.method() == PercentileMethod.SKETCH
        ? OptionalDouble.of(LatencySketch.RELATIVE_ACCURACY) : OptionalDouble.empty();
    return new ReliabilityReport(query.orgId(), query.granularity(), query.window(),
        freshness.freshness(query.orgId()), query.method(), accuracy, series);
  }

  private List<ReliabilityPoint> fromSketches(ReliabilityQuery query) {
    List<RollupRow> rows = rollups.query(query.orgId(), query.granularity().width(), query.window().start(),
        query.window().end(), query.modelId());
    Map<SeriesKey, UsageRollup> grouped = new TreeMap<>(ORDER);
    for (RollupRow row : rows) {
      Optional<String> model = query.groupBy() == GroupBy.MODEL ? Optional.of(row.key().modelId()) : Optional.empty();
      grouped.merge(new SeriesKey(row.key().bucketStart(), model), row.rollup(), UsageRollup::merge);
    }
    List<ReliabilityPoint> series = new ArrayList<>();
    grouped.forEach((key, rollup) -> {
      List<PercentileValue> values = query.percentiles().stream()
          .map(p -> new PercentileValue(p, rollup.latency().quantile(p / 100.0))).toList();
      series.add(new ReliabilityPoint(key.bucketStart(), key.modelId(), rollup.requests(), rollup.errors(),
          rollup.errorRate(), values));
    });
    return series;
  }

  private List<ReliabilityPoint> exact(ReliabilityQuery query) {
    BucketWidth width = query.granularity().width();
    Instant start = ceil(query.window().start(), width);
    Instant end = ceil(query.window().end(), width);
    if (!start.isBefore(end)) {
      return List.of();
    }
    EventRange range = new EventRange(query.orgId(), start, end, query.modelId());
    long count = events.count(range);
    if (count > maxExactEvents) {
      throw new TallyException(TallyException.Kind.MALFORMED, "query.exact_range_too_large", "the range holds " + count
          + " events; exact percentiles are limited to " + maxExactEvents + ", use the sketch method");
    }
    Map<SeriesKey, Samples> grouped = new HashMap<>();
    events.scan(range, e -> grouped.computeIfAbsent(key(e, width, query.groupBy()), k -> new Samples()).add(e));
    Map<SeriesKey, Samples> ordered = new TreeMap<>(ORDER);
    ordered.putAll(grouped);
    List<ReliabilityPoint> series = new ArrayList<>();
    ordered.forEach((key, samples) -> {
      long[] sorted = samples.sortedLatencies();
      List<PercentileValue> values = query.percentiles().stream()
          .map(p -> new PercentileValue(p, ExactPercentiles.percentileContSorted(sorted, p / 100.0))).toList();
      series.add(new ReliabilityPoint(key.bucketStart(), key.modelId(), sorted.length, samples.errors,
          (double) samples.errors / sorted.length, values));
    });
    return series;
  }

  private static SeriesKey key(UsageEvent e, BucketWidth width, GroupBy groupBy) {
    return new SeriesKey(width.bucketStart(e.occurredAt()),
        groupBy == GroupBy.MODEL ? Optional.of(e.modelId()) : Optional.empty());
  }

  /** First bucket start at or after {@code at}: the same buckets the rollup query selects. */
  private static Instant ceil(Instant at, BucketWidth width) {
    Instant floor = width.bucketStart(at);
    return floor.equals(at) ? at : floor.plus(width.duration());
  }

  private record SeriesKey(Instant bucketStart, Optional<String> modelId) {}

  private static final class Samples {
    private long[] latencies = new long[16];
    private int size;
    private long errors;

    void add(UsageEvent e) {
      if (size == latencies.length) {
        latencies = Arrays.copyOf(latencies, size * 2);
      }
      latencies[size++] = e.latencyMs();
      if (e.isError()) {
        errors++;
      }
    }

    long[] sortedLatencies() {
      long[] sorted = Arrays.copyOf(latencies, size);
      Arrays.sort(sorted);
      return sorted;
    }
  }
}
