package io.tally.analytics.ports.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A store may hand the rollup sums and latency counts instead of events: the rollup must be the same. */
class RollupComputationProperties {
  private static final Instant HOUR = Instant.parse("2026-10-01T10:00:00Z");
  private static final RollupKey KEY = new RollupKey(UsageEvents.ORG_A, "llama-3-70b", HOUR);
  // A price that changes inside the hour, so a bucket mixes two prices, own costs and (before 10:20) no price.
  private static final PriceBook PRICES = PriceBook.of(List.of(
      new ModelPrice("llama-3-70b", HOUR.plusSeconds(1200), 600_000, 2_400_000),
      new ModelPrice("llama-3-70b", HOUR.plusSeconds(2400), 700_001, 2_100_000)));

  @Provide
  Arbitrary<List<UsageEvent>> bucket() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 3_599),
            Arbitraries.longs().between(0, 1_000_000),
            Arbitraries.longs().between(-20_000, 50_000),
            Arbitraries.oneOf(Arbitraries.longs().between(0, 20), Arbitraries.longs().between(0, 120_000)),
            Arbitraries.of(true, false))
        .as((second, tokens, cost, latency, failed) -> {
          UsageEvents e = UsageEvents.anEvent().withId("e-" + second + "-" + latency).at(HOUR.plusSeconds(second))
              .withTokens(tokens, tokens / 3).withLatency(latency);
          e = cost < 0 ? e.withoutCost() : e.withCost(cost);
          return (failed ? e.failed("upstream_timeout") : e).build();
        })
        .list().ofMinSize(0).ofMaxSize(300);
  }

  @Property(tries = 300)
  void totalsGiveTheSameRollupAsTheEvents(@ForAll("bucket") List<UsageEvent> events) {
    RollupComputation standard = RollupComputation.standard();
    assertThat(standard.fromTotals(KEY, BucketTotals.of(events, PRICES))).isEqualTo(standard.fromEvents(KEY, events, PRICES));
  }

  // The incremental refresh: a stored rollup of the first events merged with the deltas of later appends, each
  // priced per event by the book, equals one pass over all of them (costs round per event, sketch buckets add).
  @Property(tries = 300)
  void storedRollupMergedWithAppendDeltasEqualsOnePass(@ForAll("bucket") List<UsageEvent> events,
      @ForAll("cuts") List<Integer> cuts) {
    RollupComputation standard = RollupComputation.standard();
    List<Integer> bounds = new ArrayList<>(List.of(0, events.size()));
    cuts.forEach(c -> bounds.add(Math.min(c, events.size())));
    Collections.sort(bounds);
    UsageRollup stored = standard.fromEvents(KEY, events.subList(0, bounds.get(1)), PRICES);
    List<UsageRollup> deltas = new ArrayList<>();
    for (int i = 1; i + 1 < bounds.size(); i++) {
      deltas.add(standard.fromEvents(KEY, events.subList(bounds.get(i), bounds.get(i + 1)), PRICES));
    }
    assertThat(standard.applyDeltas(KEY, stored, deltas)).isEqualTo(standard.fromEvents(KEY, events, PRICES));
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 300).list().ofMaxSize(6);
  }

  @Example
  void countsThatDoNotAddUpToTheRequestsAreRefused() {
    List<BucketTotals.LatencyCount> counts = List.of(new BucketTotals.LatencyCount(120, 2));
    assertThatThrownBy(() -> new BucketTotals(3, 0, 0, 0, 0, 0, counts)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 2, not 3");
    assertThatThrownBy(() -> new BucketTotals(2, 3, 0, 0, 0, 0, counts)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketTotals.LatencyCount(5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(BucketWidth.HOUR.bucketStart(HOUR.plusSeconds(59))).isEqualTo(HOUR);
  }
}
