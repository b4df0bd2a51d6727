package io.tally.analytics.ports.service;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link RollupQuarantine} whose {@link #forOrg} answers from a per-organisation copy at most {@code maxAge} old,
 * so that every usage/reliability read does not cost a query for the (almost always empty) quarantine of its
 * organisation. The staleness is bounded and one-sided in time only: an hour quarantined by another instance, or
 * released by a rollup (which deletes the row inside the rollup's transaction, not through here), shows up at most
 * {@code maxAge} late. An entry {@link #record recorded} through this object drops every copy, so this
 * instance's rollup worker sees its own quarantine at once. Every other method goes to the delegate (readiness
 * counts and {@code verify} stay exact). At most {@code maxOrgs} (organisation, limit) copies are kept.
 */
public final class RecentQuarantineReads implements RollupQuarantine {
  private record Key(UUID orgId, int limit) {}

  private final RollupQuarantine delegate;
  private final RecentCopies<Key, List<QuarantinedHour>> copies;

  /**
   * @param delegate the quarantine itself
   * @param maxAge how old a copy may be when it is served; {@link Duration#ZERO} reads through every time
   * @param maxOrgs most organisations kept, {@code > 0}
   * @param time clock
   */
  public RecentQuarantineReads(RollupQuarantine delegate, Duration maxAge, int maxOrgs, TimeSource time) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.copies = new RecentCopies<>(maxAge, maxOrgs, time);
  }

  @Override
  public List<QuarantinedHour> forOrg(UUID orgId, int limit) {
    return copies.get(new Key(orgId, limit), () -> List.copyOf(delegate.forOrg(orgId, limit)));
  }

  @Override
  public void record(QuarantinedHour entry) {
    try {
      delegate.record(entry);
    } finally {
      copies.invalidate();
    }
  }

  @Override
  public Optional<QuarantinedHour> find(OrgHour hour) {
    return delegate.find(hour);
  }

  @Override
  public List<QuarantinedHour> due(Instant now, int limit) {
    return delegate.due(now, limit);
  }

  @Override
  public List<QuarantinedHour> list(int limit) {
    return delegate.list(limit);
  }

  @Override
  public long count() {
    return delegate.count();
  }
}
