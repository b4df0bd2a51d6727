package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.ports.memory.RecordingAccessGuard;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.ReconcileService;
import io.tally.analytics.ports.service.RunRollupService;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * The usage use cases wired by hand over the PostgreSQL stores, as {@code InMemoryUsageModule} wires them over
 * the in-memory ones: same prices, a recording access guard, a hand-set clock.
 */
final class PostgresUsageModule {
  final MutableTimeSource clock;
  final PostgresUsageEventStore events;
  final PostgresRollupStore rollups;
  final PostgresFreshnessStore freshness;
  final PostgresRollupQuarantine quarantine;
  final PostgresDeadLetterStore deadLetters;
  final PostgresPriceBookStore prices;
  final RecordingAccessGuard accessGuard = new RecordingAccessGuard();
  final IngestUsageBatchService ingest;
  final RunRollupService rollup;
  final QueryUsageService usage;
  final QueryReliabilityService reliability;
  final ReconcileService reconcile;

  PostgresUsageModule(Jdbi jdbi, Instant now) {
    clock = new MutableTimeSource(now);
    events = new PostgresUsageEventStore(jdbi, clock);
    rollups = new PostgresRollupStore(jdbi);
    freshness = new PostgresFreshnessStore(jdbi);
    quarantine = new PostgresRollupQuarantine(jdbi);
    deadLetters = new PostgresDeadLetterStore(jdbi);
    prices = new PostgresPriceBookStore(jdbi);
    ingest = new IngestUsageBatchService(accessGuard, UsageEventValidator.withDefaults(), events, prices, clock);
    rollup = new RunRollupService(accessGuard, rollups, freshness, quarantine, RollupRetryPolicy.DEFAULT,
        RollupComputation.standard(), clock);
    FreshnessReader reader = new FreshnessReader(freshness, FreshnessCache.none(), quarantine,
        new FreshnessPolicy(Duration.ofSeconds(600)), clock);
    usage = new QueryUsageService(accessGuard, new PostgresRollupSums(jdbi), reader);
    reliability = new QueryReliabilityService(accessGuard, rollups, events, reader,
        QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
    reconcile = new ReconcileService(accessGuard, rollups, events, ReconciliationPolicy.DEFAULT, prices);
  }
}
