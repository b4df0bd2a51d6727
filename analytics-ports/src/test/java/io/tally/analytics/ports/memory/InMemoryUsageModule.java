package io.tally.analytics.ports.memory;

import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.ManagePricesService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.ReconcileService;
import io.tally.analytics.ports.service.RunRollupService;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The usage use cases wired by hand over in-memory stores, a recording access guard and a hand-set clock:
 * what use-case tests (and embedded users trying Tally out) start from.
 */
public final class InMemoryUsageModule {
  /** Prices used when an event carries no cost: llama 0.60/2.40, mistral 0.10/0.30 per 1M tokens. */
  public static final PriceBook PRICES = PriceBook.of(List.of(
      new ModelPrice("llama-3-70b", Instant.parse("2026-01-01T00:00:00Z"), 600_000, 2_400_000),
      new ModelPrice("mistral-7b", Instant.parse("2026-01-01T00:00:00Z"), 100_000, 300_000)));

  public final InMemoryUsageData data = new InMemoryUsageData();
  public final InMemoryUsageEventStore events = data.eventStore();
  public final InMemoryRollupStore rollups = data.rollupStore();
  public final InMemoryRollupQuarantine quarantine = data.rollupQuarantine();
  public final InMemoryFreshnessStore freshness = data.freshnessStore();
  public final InMemoryFreshnessCache freshnessCache = new InMemoryFreshnessCache();
  public final InMemoryDeadLetterStore deadLetters = data.deadLetterStore();
  public final InMemoryPriceBookStore prices = data.priceBookStore();
  public final RecordingAccessGuard accessGuard = new RecordingAccessGuard();
  public final MutableTimeSource clock;
  public final IngestUsageBatchService ingest;
  public final RunRollupService rollup;
  public final QueryUsageService usage;
  public final QueryReliabilityService reliability;
  public final ReconcileService reconcile;
  public final ManagePricesService managePrices;
  public final InMemoryAuditLog auditLog = new InMemoryAuditLog();
  /** What the ingest use case counted as arriving unpriced, per model. */
  public final Map<String, Long> unpricedCounts = new ConcurrentHashMap<>();

  /** @param now the clock's start */
  public InMemoryUsageModule(Instant now) {
    this(now, QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
  }

  /**
   * @param now the clock's start
   * @param maxExactEvents cap for exact percentile queries
   */
  public InMemoryUsageModule(Instant now, long maxExactEvents) {
    clock = new MutableTimeSource(now);
    prices.put(PRICES.entries().stream().map(p -> new PriceEntry(p, "module", now)).toList());
    ingest = new IngestUsageBatchService(accessGuard, UsageEventValidator.withDefaults(), events, prices, clock,
        (model, count) -> unpricedCounts.merge(model, count, Long::sum));
    rollup = new RunRollupService(accessGuard, rollups, freshness, quarantine, RollupRetryPolicy.DEFAULT,
        RollupComputation.standard(), clock);
    FreshnessReader reader = new FreshnessReader(freshness, freshnessCache, quarantine,
        new FreshnessPolicy(Duration.ofSeconds(600)), clock);
    usage = new QueryUsageService(accessGuard, rollups, reader);
    reliability = new QueryReliabilityService(accessGuard, rollups, events, reader, maxExactEvents);
    reconcile = new ReconcileService(accessGuard, rollups, events, ReconciliationPolicy.DEFAULT, prices);
    managePrices = new ManagePricesService(accessGuard, prices, auditLog, clock);
  }
}
