package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupHourException;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@link RollupStore} over {@link InMemoryUsageData}; a refresh holds the data lock, like one transaction, and
 * computes everything before it changes anything, so a failing hour leaves the data as it was (a rollback).
 */
public final class InMemoryRollupStore implements RollupStore {
  private final InMemoryUsageData data;

  InMemoryRollupStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public RefreshResult refreshDirty(int maxBuckets, RollupComputation computation, Instant now) {
    if (maxBuckets <= 0) {
      throw new IllegalArgumentException("maxBuckets must be > 0");
    }
    synchronized (data) {
      Set<OrgHour> hours = new TreeSet<>(pendingHours(maxBuckets));
      return refresh(k -> hours.contains(OrgHour.of(k.orgId(), k.bucketStart())), computation, now);
    }
  }

  @Override
  public List<OrgHour> pendingHours(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    synchronized (data) {
      TreeSet<OrgHour> hours = new TreeSet<>();
      for (RollupKey k : data.dirtyHours) {
        OrgHour hour = OrgHour.of(k.orgId(), k.bucketStart());
        if (!data.quarantined.containsKey(hour)) {
          hours.add(hour);
        }
      }
      return hours.stream().limit(limit).toList();
    }
  }

  @Override
  public RefreshResult refreshHours(List<OrgHour> hours, RollupComputation computation, Instant now) {
    if (hours.isEmpty()) {
      throw new IllegalArgumentException("at least one hour");
    }
    Set<OrgHour> wanted = new HashSet<>(hours);
    synchronized (data) {
      return refresh(k -> wanted.contains(OrgHour.of(k.orgId(), k.bucketStart())), computation, now);
    }
  }

  /** Claims the dirty keys {@code claim} accepts and recomputes them; all or nothing. */
  private RefreshResult refresh(Predicate<RollupKey> claim, RollupComputation computation, Instant now) {
    List<RollupKey> claimed = data.dirtyHours.stream().filter(claim).toList();
    Map<RollupKey, Optional<UsageRollup>> hourly = new HashMap<>();
    Map<RollupKey, Optional<UsageRollup>> daily = new HashMap<>();
    PriceBook prices = data.priceBook();
    long read = 0;
    try {
      for (RollupKey hour : claimed) {
        List<UsageEvent> events = data.eventsBetween(hour.orgId(), hour.bucketStart(),
                hour.bucketStart().plus(BucketWidth.HOUR.duration())).stream()
            .filter(e -> e.modelId().equals(hour.modelId())).toList();
        read += events.size();
        hourly.put(hour, events.isEmpty() ? Optional.empty()
            : Optional.of(computation.fromEvents(hour, events, prices)));
      }
      for (RollupKey hour : claimed) {
        RollupKey day = hour.at(BucketWidth.DAY);
        if (!daily.containsKey(day)) {
          daily.put(day, combineDay(day, hourly, computation));
        }
      }
    } catch (TallyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RollupHourException("the rollup of " + claimed.size() + " bucket(s) failed: "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    hourly.forEach((k, r) -> r.ifPresentOrElse(v -> data.hourly.put(k, v), () -> data.hourly.remove(k)));
    daily.forEach((k, r) -> r.ifPresentOrElse(v -> data.daily.put(k, v), () -> data.daily.remove(k)));
    claimed.forEach(k -> {
      data.dirtyHours.remove(k);
      data.quarantined.remove(OrgHour.of(k.orgId(), k.bucketStart()));
    });
    Set<UUID> dirtyOrgs = new HashSet<>();
    data.dirtyHours.forEach(k -> dirtyOrgs.add(k.orgId()));
    for (UUID org : data.knownOrgs) {
      if (!dirtyOrgs.contains(org)) {
        data.watermarks.merge(org, now, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    long hoursClaimed = claimed.stream().map(k -> OrgHour.of(k.orgId(), k.bucketStart())).distinct().count();
    return new RefreshResult((int) hoursClaimed, daily.size(), read, dirtyHourCount());
  }

  /** Dirty (org, hour) pairs, as the PostgreSQL store counts its dirty rows. */
  private long dirtyHourCount() {
    return data.dirtyHours.stream().map(k -> OrgHour.of(k.orgId(), k.bucketStart())).distinct().count();
  }

  private Optional<UsageRollup> combineDay(RollupKey day, Map<RollupKey, Optional<UsageRollup>> fresh,
      RollupComputation computation) {
    List<UsageRollup> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      RollupKey key = new RollupKey(day.orgId(), day.modelId(),
          day.bucketStart().plus(BucketWidth.HOUR.duration().multipliedBy(h)));
      Optional<UsageRollup> r = fresh.containsKey(key) ? fresh.get(key) : Optional.ofNullable(data.hourly.get(key));
      r.ifPresent(hours::add);
    }
    return hours.isEmpty() ? Optional.empty() : Optional.of(computation.combine(day, hours));
  }

  @Override
  public List<RollupRow> query(UUID orgId, BucketWidth width, Instant start, Instant end,
      Optional<String> modelId) {
    Map<RollupKey, UsageRollup> source;
    if (width.equals(BucketWidth.HOUR)) {
      source = data.hourly;
    } else if (width.equals(BucketWidth.DAY)) {
      source = data.daily;
    } else {
      throw new TallyException(TallyException.Kind.FAULT, "rollup.unsupported_width",
          "rollups are stored hourly and daily, not " + width);
    }
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

  @Override
  public long dirtyBucketCount() {
    synchronized (data) {
      return dirtyHourCount();
    }
  }
}
