package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupCalculator;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.RefreshResult;
import io.tally.analytics.ports.out.RollupComputation;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * The "done when" property of re-pricing: whatever the order of ingests (events with and without their own
 * cost), price puts, price deletions and bounded rollup refreshes, the rollups end equal to pricing every event once
 * against the final price book. Subclasses supply the stores and choose the number of tries with
 * {@code @PropertyDefaults(tries = …)}; every try uses fresh organisations and model names, so one database serves
 * all tries.
 */
public abstract class RepricingInterleavingContract {
  private static final Map<Class<?>, PriceBookStoreContract.Fixture> FIXTURES = new ConcurrentHashMap<>();
  private static final AtomicLong IDS = new AtomicLong();
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final int HOURS = 72;

  /** @return the stores, called once per concrete class */
  protected abstract PriceBookStoreContract.Fixture newFixture();

  /** One step of an interleaving. */
  sealed interface Op permits Ingest, Put, Delete, Refresh {}

  /** Appends events: (org, model, minute offset, input tokens, output tokens, own cost or -1). */
  record Ingest(List<long[]> events) implements Op {}

  /** Puts a price for (model, org or -1 for the list price) from an hour offset on. */
  record Put(int model, int org, int hour, long input, long output) implements Op {}

  /** Deletes the n-th entry (modulo the entries of this try), if any. */
  record Delete(int n) implements Op {}

  /** One bounded refresh. */
  record Refresh(int maxBuckets) implements Op {}

  @Provide
  Arbitrary<List<Op>> interleavings() {
    Arbitrary<long[]> event = Combinators.combine(Arbitraries.longs().between(0, 1), Arbitraries.longs().between(0, 1),
            Arbitraries.longs().between(0, HOURS * 60L - 1), Arbitraries.longs().between(0, 2_000_000),
            Arbitraries.longs().between(0, 500_000), Arbitraries.longs().between(-3, 5_000))
        .as((org, model, minute, in, out, cost) -> new long[] {org, model, minute, in, out, cost < 0 ? -1 : cost});
    Arbitrary<Op> ingest = event.list().ofMinSize(1).ofMaxSize(12).map(Ingest::new);
    Arbitrary<Op> put = Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers().between(-1, 1),
            Arbitraries.integers().between(0, HOURS), Arbitraries.longs().between(0, 5).map(x -> x * 250_000),
            Arbitraries.longs().between(0, 3_000_000))
        .as(Put::new);
    Arbitrary<Op> delete = Arbitraries.integers().between(0, 7).map(Delete::new);
    Arbitrary<Op> refresh = Arbitraries.integers().between(1, 6).map(Refresh::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, ingest), net.jqwik.api.Tuple.of(3, put), net.jqwik.api.Tuple.of(1, delete),
        net.jqwik.api.Tuple.of(3, refresh)).list().ofMaxSize(14);
  }

  @Property
  void anyInterleavingEndsPricedOnceByTheFinalBook(@ForAll("interleavings") List<Op> ops) {
    PriceBookStoreContract.Fixture fixture = FIXTURES.computeIfAbsent(getClass(), c -> newFixture());
    List<UUID> orgs = List.of(UUID.randomUUID(), UUID.randomUUID());
    String suffix = Long.toString(IDS.incrementAndGet()) + "-" + Long.toHexString(System.nanoTime());
    List<String> models = List.of("big-" + suffix, "small-" + suffix);
    List<UsageEvent> appended = new ArrayList<>();
    for (Op op : ops) {
      if (op instanceof Ingest ingest) {
        List<FingerprintedEvent> batch = new ArrayList<>();
        for (long[] e : ingest.events()) {
          UsageEvents b = UsageEvents.anEvent().withId("i-" + IDS.incrementAndGet()).withOrg(orgs.get((int) e[0]))
              .withModel(models.get((int) e[1])).at(START.plusSeconds(e[2] * 60)).withTokens(e[3], e[4]);
          UsageEvent event = (e[5] < 0 ? b.withoutCost() : b.withCost(e[5])).build();
          appended.add(event);
          batch.add(FingerprintedEvent.of(event));
        }
        fixture.events().append(new IngestionBatch("i-" + IDS.incrementAndGet(), IngestSource.direct(), batch));
      } else if (op instanceof Put put) {
        Optional<UUID> org = put.org() < 0 ? Optional.empty() : Optional.of(orgs.get(put.org()));
        fixture.prices().put(List.of(new PriceEntry(new ModelPrice(models.get(put.model()), org,
            START.plusSeconds(put.hour() * 3600L), put.input(), put.output()), "interleaving", NOW)));
      } else if (op instanceof Delete delete) {
        List<PriceKey> keys = ownBook(fixture, models).entries().stream().map(ModelPrice::key).toList();
        if (!keys.isEmpty()) {
          fixture.prices().delete(keys.get(delete.n() % keys.size()));
        }
      } else if (op instanceof Refresh refresh) {
        Refreshes.dirty(fixture.rollups(), refresh.maxBuckets(), NOW);
      }
    }
    RefreshResult r;
    do {
      r = Refreshes.dirty(fixture.rollups(), 10_000, NOW);
    } while (r.dirtyRemaining() > 0 && r.hourlyBucketsRefreshed() > 0);
    PriceBook book = ownBook(fixture, models);
    for (UUID org : orgs) {
      List<UsageEvent> own = appended.stream().filter(e -> e.orgId().equals(org)).toList();
      for (BucketWidth width : List.of(BucketWidth.HOUR, BucketWidth.DAY)) {
        Map<RollupKey, UsageRollup> stored = new LinkedHashMap<>();
        fixture.rollups().query(org, width, START.minusSeconds(86_400), START.plusSeconds(5 * 86_400L),
            Optional.empty()).forEach(row -> stored.put(row.key(), row.rollup()));
        assertThat(stored).as("%s %s after %s", org, width, ops).isEqualTo(RollupCalculator.rollup(own, width, book));
      }
    }
  }

  private static PriceBook ownBook(PriceBookStoreContract.Fixture fixture, List<String> models) {
    return PriceBook.of(fixture.prices().current().entries().stream().filter(p -> models.contains(p.modelId()))
        .toList());
  }
}
