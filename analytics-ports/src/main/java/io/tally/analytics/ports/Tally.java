package io.tally.analytics.ports;

import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.ManagePrices;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.Reconcile;
import io.tally.analytics.ports.in.RunRollup;
import io.tally.analytics.ports.in.RunRollup.RollupRunReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryUsageData;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.out.PriceBookStore;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.out.RollupStore;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.out.UsageEventStore;
import io.tally.analytics.ports.service.AuditedAccessGuard;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.ManagePricesService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.ReconcileService;
import io.tally.analytics.ports.service.RunRollupService;
import java.time.Duration;
import java.util.Objects;

/**
 * The usage use cases of Tally wired over one set of stores, for a service that embeds Tally: what {@code app}
 * does by hand for the server, in one call. {@link #inMemory} keeps everything in this JVM;
 * {@code TallyPostgres.on(dataSource, clock)} (adapter-postgres) stores it in PostgreSQL; {@link #over} takes
 * any stores that pass the contract suites.
 *
 * <p>Every decision is authorised by the standard RBAC policy ({@link AccessPolicy#standard()}) and audited in
 * the stores' audit log; callers name themselves with an {@link Actor} ({@link Actor#service} for a service
 * acting for some organisations). Data is fresh for 10 minutes after its last rollup. No thread of its own: the
 * host calls {@link #rollUp()} when it likes (the server's worker does every second).
 */
public final class Tally {
  /** How long after its last rollup an organisation's data still reads as fresh. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private static final Actor ROLLUP = Actor.system("rollup");
  private static final int BUCKETS_PER_STEP = 1_000;
  private static final int MAX_STEPS = 1_000;

  /**
   * The driven ports the use cases need, normally over one database.
   *
   * @param events raw usage events (and the dead letters they write)
   * @param deadLetters reads the rejected events
   * @param rollups hourly and daily rollups and the dirty hours
   * @param quarantine hours whose rollup failed
   * @param freshness the watermarks
   * @param prices the price book
   * @param auditLog where every authorisation decision is appended
   */
  public record Stores(UsageEventStore events, DeadLetterStore deadLetters, RollupStore rollups,
      RollupQuarantine quarantine, FreshnessStore freshness, PriceBookStore prices, AuditLog auditLog) {
    /** Validates. */
    public Stores {
      Objects.requireNonNull(events, "events");
      Objects.requireNonNull(deadLetters, "deadLetters");
      Objects.requireNonNull(rollups, "rollups");
      Objects.requireNonNull(quarantine, "quarantine");
      Objects.requireNonNull(freshness, "freshness");
      Objects.requireNonNull(prices, "prices");
      Objects.requireNonNull(auditLog, "auditLog");
    }

    /** @return new, empty in-memory stores over one {@link InMemoryUsageData} (they see each other's writes) */
    public static Stores inMemory() {
      InMemoryUsageData data = new InMemoryUsageData();
      return new Stores(data.eventStore(), data.deadLetterStore(), data.rollupStore(), data.rollupQuarantine(),
          data.freshnessStore(), data.priceBookStore(), new InMemoryAuditLog());
    }
  }

  private final Stores stores;
  private final IngestUsageBatch ingest;
  private final RunRollup rollup;
  private final QueryUsage usage;
  private final QueryReliability reliability;
  private final Reconcile reconcile;
  private final ManagePrices prices;

  private Tally(Stores stores, TimeSource clock) {
    this.stores = stores;
    AccessGuard guard = new AuditedAccessGuard(AccessPolicy.standard(), stores.auditLog(), clock);
    this.ingest = new IngestUsageBatchService(guard, UsageEventValidator.withDefaults(), stores.events(),
        stores.prices(), clock);
    this.rollup = new RunRollupService(guard, stores.rollups(), stores.freshness(), stores.quarantine(),
        RollupRetryPolicy.DEFAULT, RollupComputation.standard(), clock);
    FreshnessReader freshness = new FreshnessReader(stores.freshness(), FreshnessCache.none(), stores.quarantine(),
        new FreshnessPolicy(STALE_AFTER), clock);
    this.usage = new QueryUsageService(guard, stores.rollups(), freshness);
    this.reliability = new QueryReliabilityService(guard, stores.rollups(), stores.events(), freshness,
        QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS);
    this.reconcile = new ReconcileService(guard, stores.rollups(), stores.events(), ReconciliationPolicy.DEFAULT,
        stores.prices());
    this.prices = new ManagePricesService(guard, stores.prices(), stores.auditLog(), clock);
  }

  /**
   * @param clock the embedding service's clock (tests pass one they set by hand)
   * @return Tally over new, empty in-memory stores: nothing survives the JVM
   */
  public static Tally inMemory(TimeSource clock) {
    return over(Stores.inMemory(), clock);
  }

  /**
   * @param stores the driven ports
   * @param clock the embedding service's clock
   * @return Tally over those stores
   */
  public static Tally over(Stores stores, TimeSource clock) {
    return new Tally(Objects.requireNonNull(stores, "stores"), Objects.requireNonNull(clock, "clock"));
  }

  /** @return ingest usage events ({@code IngestCommand.of(actor, events)}) */
  public IngestUsageBatch ingest() {
    return ingest;
  }

  /** @return run the rollup as a given actor (platform scope); {@link #rollUp()} runs it as Tally's own */
  public RunRollup rollup() {
    return rollup;
  }

  /**
   * Rolls up everything ingested so far, as the platform's rollup identity ({@code system:rollup}).
   *
   * @return what the run did
   */
  public RollupRunReport rollUp() {
    return rollup.run(new RunRollupCommand(ROLLUP, BUCKETS_PER_STEP, MAX_STEPS));
  }

  /** @return requests, tokens and cost per bucket */
  public QueryUsage usage() {
    return usage;
  }

  /** @return error rate and latency percentiles per bucket */
  public QueryReliability reliability() {
    return reliability;
  }

  /** @return prove rollups equal the raw events */
  public Reconcile reconcile() {
    return reconcile;
  }

  /** @return the price book that prices events without their own cost */
  public ManagePrices prices() {
    return prices;
  }

  /** @return the rejected events, with their reasons */
  public DeadLetterStore deadLetters() {
    return stores.deadLetters();
  }

  /** @return the append-only, hash-chained audit log of every authorisation decision */
  public AuditLog auditLog() {
    return stores.auditLog();
  }
}
