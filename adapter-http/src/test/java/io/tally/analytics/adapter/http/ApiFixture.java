package io.tally.analytics.adapter.http;

import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.ports.memory.InMemoryAnalyticsStore;
import io.tally.analytics.ports.memory.InMemoryAnalyticsStoreProvider;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryExportJobStore;
import io.tally.analytics.ports.memory.InMemoryObjectStore;
import io.tally.analytics.ports.memory.InMemoryRouteRegistry;
import io.tally.analytics.ports.service.AnalyticsEventsService;
import io.tally.analytics.ports.service.AuditedAccessGuard;
import io.tally.analytics.ports.service.ExportSettings;
import io.tally.analytics.ports.service.DownloadExportFileService;
import io.tally.analytics.ports.service.ExportsService;
import io.tally.analytics.ports.service.ManagePricesService;
import io.tally.analytics.ports.service.ManageRoutesService;
import io.tally.analytics.ports.testdata.RouteTestData;
import io.tally.analytics.ports.testdata.SequentialIds;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import io.tally.analytics.core.freshness.FreshnessPolicy;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.memory.InMemoryDeadLetterStore;
import io.tally.analytics.ports.memory.InMemoryFreshnessCache;
import io.tally.analytics.ports.memory.InMemoryUsageData;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.service.FreshnessReader;
import io.tally.analytics.ports.service.IngestUsageBatchService;
import io.tally.analytics.ports.service.QueryReliabilityService;
import io.tally.analytics.ports.service.QueryUsageService;
import io.tally.analytics.ports.service.RunRollupService;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.GoldenDataset;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server on a free port, wired with the ports' services over the in-memory stores of the ports
 * test-jar: what the app wires, minus PostgreSQL.
 */
final class ApiFixture implements AutoCloseable {
  static final String ENV = "staging";
  static final int MAX_EVENTS = 5_000;
  static final int MAX_BODY = 4 << 20;
  static final String ORG_A = "00000000-0000-0000-0000-00000000000a";
  static final String ORG_B = "00000000-0000-0000-0000-00000000000b";

  final MutableTimeSource clock = MutableTimeSource.standard();
  final InMemoryAuditLog audit = new InMemoryAuditLog();
  final InMemoryRouteRegistry registry = new InMemoryRouteRegistry();
  final InMemoryAnalyticsStore store = new InMemoryAnalyticsStore();
  final InMemoryExportJobStore jobs = new InMemoryExportJobStore();
  final InMemoryObjectStore objects = new InMemoryObjectStore(clock);
  final MutableTimeSource usageClock = new MutableTimeSource(GoldenDataset.INGEST_CLOCK);
  final InMemoryUsageData usageData = new InMemoryUsageData();
  final InMemoryDeadLetterStore deadLetters = usageData.deadLetterStore();
  final RunRollupService rollup;
  final TestServer http;

  ApiFixture() {
    AuditedAccessGuard guard = new AuditedAccessGuard(AccessPolicy.standard(), audit, clock);
    InMemoryAnalyticsStoreProvider stores = new InMemoryAnalyticsStoreProvider().with(BackendType.POSTGRES, store);
    JsonBodies bodies = new JsonBodies(MAX_BODY);
    AnalyticsEventsService events = new AnalyticsEventsService(guard, registry, stores, new SequentialIds("evt"),
        clock, ENV);
    ManageRoutesService routing = new ManageRoutesService(guard, registry, new SequentialIds("route"), clock);
    ExportsService exports = new ExportsService(guard, jobs, objects, new SequentialIds("job"), clock,
        ExportSettings.defaults());
    IngestUsageBatchService ingest = new IngestUsageBatchService(guard, UsageEventValidator.withDefaults(),
        usageData.eventStore(), usageData.priceBookStore(), usageClock);
    usageData.priceBookStore().put(InMemoryUsageModule.PRICES.entries().stream()
        .map(p -> new PriceEntry(p, "fixture", GoldenDataset.INGEST_CLOCK)).toList());
    rollup = new RunRollupService(guard, usageData.rollupStore(), usageData.freshnessStore(),
        usageData.rollupQuarantine(),
        RollupRetryPolicy.DEFAULT, RollupComputation.standard(), usageClock);
    FreshnessReader freshness = new FreshnessReader(usageData.freshnessStore(), new InMemoryFreshnessCache(),
        usageData.rollupQuarantine(),
        new FreshnessPolicy(Duration.ofSeconds(600)), usageClock);
    List<Route> routes = new ApiRoutes(ingest, new QueryUsageService(guard, usageData.rollupStore(), freshness),
        new QueryReliabilityService(guard, usageData.rollupStore(), usageData.eventStore(), freshness,
            QueryReliabilityService.DEFAULT_MAX_EXACT_EVENTS), exports,
        new DownloadExportFileService(objects.signer(), objects, clock), events, routing)
        .routes(bodies, MAX_EVENTS);
    routes = new java.util.ArrayList<>(routes);
    routes.addAll(new PriceRoutes(new ManagePricesService(guard, usageData.priceBookStore(), audit, usageClock),
        bodies).routes());
    http = new TestServer(new TrustedHeadersAuthenticator(List.of()), RateLimits.unlimited(), MAX_BODY,
        List.of(), routes);
  }

  /** Runs the rollup worker once, as the platform's system actor. */
  void rollUp() {
    rollup.run(new RunRollupCommand(Actors.system(), 1_000, 1_000));
  }

  /** Gives the tenant a postgres route in {@link #ENV}. */
  ApiFixture withPostgresRoute(String tenant) {
    registry.save(RouteTestData.aPostgresRoute("r-" + tenant, tenant, ENV));
    return this;
  }



  HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(headers);
    if (body != null) {
      h.putIfAbsent("Content-Type", "application/json");
    }
    return http.send(method, path, body, h);
  }

  /** @return the last audit record */
  AuditRecord lastAudit() {
    List<AuditRecord> all = audit.all();
    return all.get(all.size() - 1);
  }

  @Override
  public void close() {
    http.close();
  }
}
