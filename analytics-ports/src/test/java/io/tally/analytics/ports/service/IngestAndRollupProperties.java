package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.reconcile.ReconciliationReport;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupCalculator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.Reconcile.ReconcileCommand;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the batching, resends and interleaving of ingest and refresh, the stored rollups equal one pass over
 * the first write of every key.
 */
class IngestAndRollupProperties {
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-10-04T00:00:00Z");

  @Provide
  Arbitrary<List<UsageEvent>> arrivals() {
    // Ten ids only, so resends (equal or changed payloads, other hours) are frequent.
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

  @Property(tries = 150)
  void rollupsEqualOnePassOverFirstWrites(@ForAll("arrivals") List<UsageEvent> arrivals,
      @ForAll @IntRange(min = 1, max = 7) int batchSize, @ForAll @IntRange(min = 1, max = 4) int bucketsPerStep) {
    InMemoryUsageModule tally = new InMemoryUsageModule(Instant.parse("2026-11-01T00:00:00Z"));
    long accepted = 0;
    for (int from = 0, n = 0; from < arrivals.size(); from += batchSize, n++) {
      List<UsageEvent> batch = arrivals.subList(from, Math.min(arrivals.size(), from + batchSize));
      IngestReport report = tally.ingest.ingest(new IngestCommand(Actors.system(), "p-" + n, IngestSource.direct(),
          batch.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
      accepted += report.accepted();
      if (n % 2 == 0) {
        tally.rollup.run(new RunRollupCommand(Actors.system(), bucketsPerStep, 1));
      }
    }
    tally.rollup.run(new RunRollupCommand(Actors.system(), bucketsPerStep, 10_000));

    Map<UsageEventKey, UsageEvent> firstWrites = new LinkedHashMap<>();
    arrivals.forEach(e -> firstWrites.putIfAbsent(e.key(), e));
    assertThat(accepted).isEqualTo(firstWrites.size());
    Map<RollupKey, UsageRollup> expectedDaily = RollupCalculator.rollup(firstWrites.values(), BucketWidth.DAY);
    Map<RollupKey, UsageRollup> storedDaily = new LinkedHashMap<>();
    for (var org : List.of(UsageEvents.ORG_A, UsageEvents.ORG_B)) {
      tally.rollups.query(org, BucketWidth.DAY, START, END, Optional.empty())
          .forEach(r -> storedDaily.put(r.key(), r.rollup()));
      ReconciliationReport report = tally.reconcile.reconcile(new ReconcileCommand(Actors.system(), org,
          Granularity.HOURLY, new TimeWindow(START, END)));
      assertThat(report.maxDrift()).isZero();
    }
    assertThat(storedDaily).isEqualTo(expectedDaily);
  }
}
