package io.tally.analytics.ports.service;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupAccumulator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.Reconcile;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.PriceBookSource;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.UsageEventStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Recomputes a range from raw events (streamed, one accumulator per bucket) and the price book, and compares it
 * with the stored rollups: counts, tokens, cost (each event's own cost, or its cost by the book) and unpriced
 * requests. Run it on a quiet system: a price change or an ingest between the two reads shows as drift.
 */
public final class ReconcileService implements Reconcile {
  private final AccessGuard accessGuard;
  private final RollupStore rollups;
  private final UsageEventStore events;
  private final ReconciliationPolicy policy;
  private final PriceBookSource prices;

  /**
   * @param accessGuard authorizes {@code analytics:usage:read} on the organisation
   * @param rollups stored rollups
   * @param events raw events
   * @param policy drift threshold ({@link ReconciliationPolicy#DEFAULT})
   * @param prices the price book the rollups must agree with
   */
  public ReconcileService(AccessGuard accessGuard, RollupStore rollups, UsageEventStore events,
      ReconciliationPolicy policy, PriceBookSource prices) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.events = Objects.requireNonNull(events, "events");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.prices = Objects.requireNonNull(prices, "prices");
  }

  @Override
  public ReconciliationReport reconcile(ReconcileCommand command) {
    accessGuard.require(command.actor(), Permission.USAGE_READ, ResourceScope.org(command.orgId().toString()),
        "usage.reconcile");
    BucketWidth width = command.granularity().width();
    Map<RollupKey, UsageRollup> stored = new HashMap<>();
    rollups.query(command.orgId(), width, command.window().start(), command.window().end(), Optional.empty())
        .forEach(row -> stored.put(row.key(), row.rollup()));
    PriceBook book = prices.current();
    Map<RollupKey, RollupAccumulator> accumulators = new HashMap<>();
    events.scan(new EventRange(command.orgId(), command.window().start(), command.window().end(), Optional.empty()),
        e -> accumulators.computeIfAbsent(new RollupKey(e.orgId(), e.modelId(), width.bucketStart(e.occurredAt())),
            k -> new RollupAccumulator(book)).add(e));
    Map<RollupKey, UsageRollup> raw = new HashMap<>();
    accumulators.forEach((key, acc) -> raw.put(key, acc.build()));
    return ReconciliationReport.compare(stored, raw, policy);
  }
}
