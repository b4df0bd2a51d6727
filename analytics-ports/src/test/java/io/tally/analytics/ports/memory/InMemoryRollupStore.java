package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@link RollupStore} over {@link InMemoryUsageData}; a refresh holds the data lock, like one transaction. */
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
      List<RollupKey> claimed = new ArrayList<>();
      while (claimed.size() < maxBuckets && !data.dirtyHours.isEmpty()) {
        claimed.add(data.dirtyHours.pollFirst());
      }
      PriceBook prices = data.priceBook();
      long read = 0;
      Set<RollupKey> days = new HashSet<>();
      for (RollupKey hour : claimed) {
        List<UsageEvent> events = data.eventsBetween(hour.orgId(), hour.bucketStart(),
                hour.bucketStart().plus(BucketWidth.HOUR.duration())).stream()
            .filter(e -> e.modelId().equals(hour.modelId())).toList();
        read += events.size();
        if (events.isEmpty()) {
          data.hourly.remove(hour);
        } else {
          data.hourly.put(hour, computation.fromEvents(hour, events, prices));
        }
        days.add(hour.at(BucketWidth.DAY));
      }
      for (RollupKey day : days) {
        List<UsageRollup> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
          UsageRollup r = data.hourly.get(new RollupKey(day.orgId(), day.modelId(), day.bucketStart()
              .plus(BucketWidth.HOUR.duration().multipliedBy(h))));
          if (r != null) {
            hours.add(r);
          }
        }
        if (hours.isEmpty()) {
          data.daily.remove(day);
        } else {
          data.daily.put(day, computation.combine(day, hours));
        }
      }
      Set<UUID> dirtyOrgs = new HashSet<>();
      data.dirtyHours.forEach(k -> dirtyOrgs.add(k.orgId()));
      for (UUID org : data.knownOrgs) {
        if (!dirtyOrgs.contains(org)) {
          data.watermarks.merge(org, now, (a, b) -> a.isAfter(b) ? a : b);
        }
      }
      return new RefreshResult(claimed.size(), days.size(), read, data.dirtyHours.size());
    }
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
      throw new TallyException("rollup.unsupported_width", "rollups are stored hourly and daily, not " + width);
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
      return data.dirtyHours.size();
    }
  }
}
