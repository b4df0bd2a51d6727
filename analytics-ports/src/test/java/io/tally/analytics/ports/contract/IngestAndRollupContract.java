package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupCalculator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import io.tally.analytics.ports.Tally;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Ingest, deduplication and rollup are idempotent whatever the store: whatever the batching (wire candidates and
 * typed events), resends and interleaving of ingest and refresh steps, the stored rollups equal one pass over the
 * first write of every key, and reconciliation finds no drift. Runs the use cases as an embedder wires them
 * ({@link Tally#over}). Subclasses give the stores (once per class) and the tries with
 * {@code @PropertyDefaults(tries = …)}; every try uses fresh organisations, so one database serves all tries.
 */
public abstract class IngestAndRollupContract {
  private static final Map<Class<?>, Tally.Stores> STORES = new ConcurrentHashMap<>();
  private static final AtomicLong BATCHES = new AtomicLong();
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-10-04T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

  /** @return the stores, over one database, called once per concrete class */
  protected abstract Tally.Stores newStores();

  @Provide
  Arbitrary<List<UsageEvent>> arrivals() {
    // Ten ids only, so resends (equal or changed payloads, other hours) are frequent. ORG_A and ORG_B stand for the
    // try's own two organisations.
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.of(UsageEvents.ORG_A, UsageEvents.ORG_B),
            Arbitraries.longs().between(0, 3L * 86_400 - 1),
            Arbitraries.of("llama-3-70b", "mistral-7b"),
            Arbitraries.longs().between(0, 3),
            Arbitraries.longs().between(0, 5000))
        .as((id, org, offset, model, tokens, latency) -> UsageEvents.anEvent().withId("e" + id).withOrg(org)
            .at(START.plusSeconds(offset)).withModel(model).withTokens(tokens, 1).withCost(tokens * 10)
            .withLatency(latency).build())
        .list().ofMaxSize(60);
  }

  @Property
  void rollupsEqualOnePassOverFirstWrites(@ForAll("arrivals") List<UsageEvent> generated,
      @ForAll @IntRange(min = 1, max = 7) int batchSize, @ForAll @IntRange(min = 1, max = 4) int bucketsPerStep) {
    Tally.Stores stores = STORES.computeIfAbsent(getClass(), c -> newStores());
    Tally tally = Tally.over(stores, () -> NOW);
    Map<UUID, UUID> fresh = Map.of(UsageEvents.ORG_A, UUID.randomUUID(), UsageEvents.ORG_B, UUID.randomUUID());
    List<UsageEvent> arrivals = generated.stream()
        .map(e -> UsageEvents.from(e).withOrg(fresh.get(e.orgId())).build()).toList();
    long accepted = 0;
    for (int from = 0, n = 0; from < arrivals.size(); from += batchSize, n++) {
      List<UsageEvent> batch = arrivals.subList(from, Math.min(arrivals.size(), from + batchSize));
      IngestReport report = tally.ingest().ingest(n % 3 == 0 ? IngestCommand.of(Actors.system(), batch)
          : new IngestCommand(Actors.system(), "p-" + BATCHES.incrementAndGet(), IngestSource.direct(),
              batch.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
      accepted += report.accepted();
      if (n % 2 == 0) {
        tally.rollup().run(new RunRollupCommand(Actors.system(), bucketsPerStep, 1));
      }
    }
    tally.rollup().run(new RunRollupCommand(Actors.system(), bucketsPerStep, 10_000));

    Map<UsageEventKey, UsageEvent> firstWrites = new LinkedHashMap<>();
    arrivals.forEach(e -> firstWrites.putIfAbsent(e.key(), e));
    assertThat(accepted).isEqualTo(firstWrites.size());
    Map<RollupKey, UsageRollup> expectedDaily = RollupCalculator.rollup(firstWrites.values(), BucketWidth.DAY);
    Map<RollupKey, UsageRollup> storedDaily = new LinkedHashMap<>();
    for (UUID org : fresh.values()) {
      stores.rollups().query(org, BucketWidth.DAY, START, END, Optional.empty())
          .forEach(r -> storedDaily.put(r.key(), r.rollup()));
      ReconciliationReport report = tally.reconcile().reconcile(new ReconcileCommand(Actors.system(), org,
          Granularity.HOURLY, new TimeWindow(START, END)));
      assertThat(report.maxDrift()).isZero();
    }
    assertThat(storedDaily).isEqualTo(expectedDaily);
  }
}
