package io.tally.analytics.ports.memory;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.ports.out.RollupQuarantine;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** {@link RollupQuarantine} over {@link InMemoryUsageData}, which {@link InMemoryRollupStore} releases from. */
public final class InMemoryRollupQuarantine implements RollupQuarantine {
  private static final Comparator<QuarantinedHour> OLDEST_FIRST =
      Comparator.comparing(QuarantinedHour::firstFailedAt).thenComparing(QuarantinedHour::hour);
  private final InMemoryUsageData data;

  InMemoryRollupQuarantine(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public void record(QuarantinedHour entry) {
    synchronized (data) {
      data.quarantined.put(entry.hour(), entry);
    }
  }

  @Override
  public Optional<QuarantinedHour> find(OrgHour hour) {
    synchronized (data) {
      return Optional.ofNullable(data.quarantined.get(hour));
    }
  }

  @Override
  public List<QuarantinedHour> due(Instant now, int limit) {
    return select(e -> e.isDue(now), Comparator.comparing(QuarantinedHour::nextAttemptAt)
        .thenComparing(QuarantinedHour::hour), limit);
  }

  @Override
  public List<QuarantinedHour> list(int limit) {
    return select(e -> true, OLDEST_FIRST, limit);
  }

  @Override
  public List<QuarantinedHour> forOrg(UUID orgId, int limit) {
    return select(e -> e.hour().orgId().equals(orgId), OLDEST_FIRST, limit);
  }

  @Override
  public long count() {
    synchronized (data) {
      return data.quarantined.size();
    }
  }

  private List<QuarantinedHour> select(Predicate<QuarantinedHour> which, Comparator<QuarantinedHour> order,
      int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0");
    }
    synchronized (data) {
      return data.quarantined.values().stream().filter(which).sorted(order).limit(limit).toList();
    }
  }
}
