package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.BucketTotals;
import io.tally.analytics.ports.out.RollupHourException;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.RollupTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@link RollupStore} over {@link InMemoryUsageData}. A transaction holds the data lock and stages its writes,
 * which it applies only when the work returns: a failing hour leaves the data as it was (a rollback).
 */
public final class InMemoryRollupStore implements RollupStore {
  private final InMemoryUsageData data;

  InMemoryRollupStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public <T> T inTransaction(Function<RollupTransaction, T> work) {
    synchronized (data) {
      Staged tx = new Staged();
      T result;
      try {
        result = work.apply(tx);
      } catch (TallyException e) {
        throw e;
      } catch (RuntimeException e) {
        // Nothing else can fail here but the data: the in-memory store has no connection to lose.
        throw new RollupHourException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
      tx.commit();
      return result;
    }
  }

  @Override
  public List<OrgHour> pendingHours(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    synchronized (data) {
      return dirtyHours().stream().filter(h -> !data.quarantined.containsKey(h)).limit(limit).toList();
    }
  }

  /** Dirty (org, hour) pairs, as the PostgreSQL store keeps its dirty rows. */
  private TreeSet<OrgHour> dirtyHours() {
    return data.dirtyHours.stream().map(k -> OrgHour.of(k.orgId(), k.bucketStart()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public List<RollupRow> query(UUID orgId, BucketWidth width, Instant start, Instant end,
      Optional<String> modelId) {
    Map<RollupKey, UsageRollup> source = table(width, data.hourly, data.daily);
    synchronized (data) {
      return source.entrySet().stream()
          .filter(e -> e.getKey().orgId().equals(orgId))
          .filter(e -> !e.getKey().bucketStart().isBefore(start) && e.getKey().bucketStart().isBefore(end))
          .filter(e -> modelId.map(e.getKey().modelId()::equals).orElse(true))
          .sorted(Map.Entry.comparingByKey(RollupKey.BY_BUCKET_THEN_MODEL))
          .map(e -> new RollupRow(e.getKey(), e.getValue()))
          .toList();
    }
  }

  /** @return {@code hourly} or {@code daily} for that width; other widths are not stored */
  private static Map<RollupKey, UsageRollup> table(BucketWidth width, Map<RollupKey, UsageRollup> hourly,
      Map<RollupKey, UsageRollup> daily) {
    if (width.equals(BucketWidth.HOUR)) {
      return hourly;
    } else if (width.equals(BucketWidth.DAY)) {
      return daily;
    }
    throw new TallyException(TallyException.Kind.FAULT, "rollup.unsupported_width", "rollups are stored hourly and daily, not " + width);
  }

  @Override
  public long dirtyBucketCount() {
    synchronized (data) {
      return dirtyHours().size();
    }
  }

  /** One transaction's staged writes over the data, whose lock the caller holds. */
  private final class Staged implements RollupTransaction {
    private final Set<OrgHour> claimed = new TreeSet<>();
    private final Map<RollupKey, UsageRollup> hourly = new HashMap<>();
    private final Map<RollupKey, UsageRollup> daily = new HashMap<>();
    private final Set<OrgHour> released = new HashSet<>();

    @Override
    public List<OrgHour> claimDirty(int maxHours) {
      if (maxHours <= 0) {
        throw new IllegalArgumentException("maxHours must be > 0");
      }
      return claimWhere(h -> !data.quarantined.containsKey(h) && !claimed.contains(h), maxHours);
    }

    @Override
    public List<OrgHour> claim(Collection<OrgHour> hours) {
      Set<OrgHour> wanted = new HashSet<>(hours);
      return claimWhere(h -> wanted.contains(h) && !claimed.contains(h), Integer.MAX_VALUE);
    }

    private List<OrgHour> claimWhere(Predicate<OrgHour> which, int limit) {
      List<OrgHour> hours = dirtyHours().stream().filter(which).limit(limit).toList();
      claimed.addAll(hours);
      return hours;
    }

    @Override
    public PriceBook prices() {
      return data.priceBook();
    }

    @Override
    public SortedMap<RollupKey, BucketTotals> hourTotals(List<OrgHour> hours, PriceBook prices) {
      SortedMap<RollupKey, BucketTotals> totals = new TreeMap<>(RollupKey.BY_BUCKET_THEN_MODEL);
      for (OrgHour hour : hours) {
        Map<String, List<UsageEvent>> byModel = data.eventsBetween(hour.orgId(), hour.hour(),
            hour.hour().plus(BucketWidth.HOUR.duration())).stream()
            .collect(Collectors.groupingBy(UsageEvent::modelId, TreeMap::new, Collectors.toList()));
        byModel.forEach((model, events) ->
            totals.put(new RollupKey(hour.orgId(), model, hour.hour()), BucketTotals.of(events, prices)));
      }
      return totals;
    }

    @Override
    public Map<RollupKey, List<UsageRollup>> storedHoursOfDays(Set<RollupKey> dailyKeys) {
      Map<RollupKey, List<UsageRollup>> byDay = new HashMap<>();
      for (RollupKey day : dailyKeys) {
        List<UsageRollup> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
          RollupKey key = new RollupKey(day.orgId(), day.modelId(),
              day.bucketStart().plus(BucketWidth.HOUR.duration().multipliedBy(h)));
          Optional.ofNullable(hourly.getOrDefault(key, data.hourly.get(key))).ifPresent(hours::add);
        }
        if (!hours.isEmpty()) {
          byDay.put(day, hours);
        }
      }
      return byDay;
    }

    @Override
    public void upsert(BucketWidth width, Map<RollupKey, UsageRollup> rows, Instant at) {
      table(width, hourly, daily).putAll(rows);
    }

    @Override
    public void release(Collection<OrgHour> hours) {
      released.addAll(hours);
    }

    @Override
    public long dirtyRemaining() {
      return dirtyHours().stream().filter(h -> !claimed.contains(h)).count();
    }

    void commit() {
      data.hourly.putAll(hourly);
      data.daily.putAll(daily);
      data.dirtyHours.removeIf(k -> claimed.contains(OrgHour.of(k.orgId(), k.bucketStart())));
      released.forEach(data.quarantined::remove);
    }
  }
}
