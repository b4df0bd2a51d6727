package io.tally.analytics.ports.service;

import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.RollupSums;
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
  private final RollupSums rollups;
  private final FreshnessReader freshness;
  private final UsageAnswers answers;

  /**
   * @param accessGuard authorizes {@code analytics:usage:read} on the organisation
   * @param rollups rollup store, read through {@link RollupSums#of}
   * @param freshness freshness of the answer
   */
  public QueryUsageService(AccessGuard accessGuard, RollupStore rollups, FreshnessReader freshness) {
    this(accessGuard, RollupSums.of(rollups), freshness);
  }

  /**
   * @param accessGuard authorizes {@code analytics:usage:read} on the organisation
   * @param rollups the rollups' sums (a store's cheaper read, without sketches)
   * @param freshness freshness of the answer
   */
  public QueryUsageService(AccessGuard accessGuard, RollupSums rollups, FreshnessReader freshness) {
    this(accessGuard, rollups, freshness, UsageAnswers.none());
  }

  /**
   * @param accessGuard authorizes {@code analytics:usage:read} on the organisation
   * @param rollups the rollups' sums (a store's cheaper read, without sketches)
   * @param freshness freshness of the answer
   * @param answers recent answers, reused while the organisation's watermark and the rollups stay as they were
   */
  public QueryUsageService(AccessGuard accessGuard, RollupSums rollups, FreshnessReader freshness,
      UsageAnswers answers) {
    this.answers = Objects.requireNonNull(answers, "answers");
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.freshness = Objects.requireNonNull(freshness, "freshness");
  }

  @Override
  public UsageReport query(UsageQuery query) {
    accessGuard.require(query.actor(), Permission.USAGE_READ, ResourceScope.org(query.orgId().toString()),
        "usage.query");
    // The watermark first: the rollups read after it are at least as recent, and the answer is keyed by it.
    Freshness freshness = this.freshness.freshness(query.orgId());
    UsageAnswers.Answer answer = answers.get(query, freshness, () -> read(query));
    return new UsageReport(query.orgId(), query.granularity(), query.window(), freshness, answer.series(),
        answer.totals());
  }

  private UsageAnswers.Answer read(UsageQuery query) {
    List<RollupSums.Row> rows = rollups.sums(query.orgId(), query.granularity().width(), query.window().start(),
        query.window().end(), query.modelId());
    List<UsagePoint> series = new ArrayList<>();
    if (query.groupBy() == GroupBy.MODEL) {
      rows.forEach(r -> series.add(new UsagePoint(r.key().bucketStart(), Optional.of(r.key().modelId()),
          totals(r))));
    } else {
      Map<Instant, UsageTotals> byBucket = new TreeMap<>();
      rows.forEach(r -> byBucket.merge(r.key().bucketStart(), totals(r), UsageTotals::plus));
      byBucket.forEach((bucket, totals) -> series.add(new UsagePoint(bucket, Optional.empty(), totals)));
    }
    UsageTotals totals = series.stream().map(UsagePoint::totals).reduce(UsageTotals.ZERO, UsageTotals::plus);
    return new UsageAnswers.Answer(series, totals);
  }

  static UsageTotals totals(RollupSums.Row r) {
    return new UsageTotals(r.requests(), r.errors(), r.inputTokens(), r.outputTokens(), r.costMicros(),
        r.unpricedRequests());
  }
}
