package io.tally.analytics.ports.service;

import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.out.RollupRow;
import io.tally.analytics.ports.out.RollupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Reads usage series from the rollups. */
public final class QueryUsageService implements QueryUsage {
  private final AccessGuard accessGuard;
  private final RollupStore rollups;
  private final FreshnessReader freshness;

  /**
   * @param accessGuard authorizes {@code analytics:usage:read} on the organisation
   * @param rollups rollup store
   * @param freshness freshness of the answer
   */
  public QueryUsageService(AccessGuard accessGuard, RollupStore rollups, FreshnessReader freshness) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
  }

  @Override
  public UsageReport query(UsageQuery query) {
    accessGuard.require(query.actor(), Permission.USAGE_READ, ResourceScope.org(query.orgId().toString()),
        "usage.query");
    List<RollupRow> rows = rollups.query(query.orgId(), query.granularity().width(), query.window().start(),
        query.window().end(), query.modelId());
    List<UsagePoint> series = new ArrayList<>();
    if (query.groupBy() == GroupBy.MODEL) {
      rows.forEach(r -> series.add(new UsagePoint(r.key().bucketStart(), Optional.of(r.key().modelId()),
          totals(r.rollup()))));
    } else {
      Map<Instant, UsageTotals> byBucket = new TreeMap<>();
      rows.forEach(r -> byBucket.merge(r.key().bucketStart(), totals(r.rollup()), UsageTotals::plus));
      byBucket.forEach((bucket, totals) -> series.add(new UsagePoint(bucket, Optional.empty(), totals)));
    }
    UsageTotals totals = series.stream().map(UsagePoint::totals).reduce(UsageTotals.ZERO, UsageTotals::plus);
    return new UsageReport(query.orgId(), query.granularity(), query.window(),
        freshness.freshness(query.orgId()), series, totals);
  }

  static UsageTotals totals(UsageRollup r) {
    return new UsageTotals(r.requests(), r.errors(), r.inputTokens(), r.outputTokens(), r.costMicros(),
        r.unpricedRequests());
  }
}
