package io.tally.analytics.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.testing.EventArbitraries;
import io.tally.analytics.core.usage.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RollupProperties {

  @Provide
  Arbitrary<List<UsageEvent>> events() {
    return EventArbitraries.eventLists();
  }

  @Provide
  Arbitrary<UsageRollup> rollups() {
    return EventArbitraries.events().list().ofMaxSize(8).map(list -> list.stream().map(e -> UsageRollup.of(e, io.tally.analytics.core.pricing.PriceBook.empty()))
        .reduce(UsageRollup.empty(), UsageRollup::merge));
  }

  @Provide
  Arbitrary<BucketWidth> widths() {
    return Arbitraries.of(BucketWidth.FIFTEEN_MINUTES, BucketWidth.HOUR);
  }

  @Property(tries = 200)
  void mergeIsAssociative(@ForAll("rollups") UsageRollup a, @ForAll("rollups") UsageRollup b,
      @ForAll("rollups") UsageRollup c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property(tries = 200)
  void mergeIsCommutativeWithEmptyAsIdentity(@ForAll("rollups") UsageRollup a, @ForAll("rollups") UsageRollup b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(UsageRollup.empty())).isEqualTo(a);
    assertThat(UsageRollup.empty().merge(a)).isEqualTo(a);
  }

  @Property(tries = 200)
  void coarseningFinerBucketsEqualsOnePassAtDailyWidth(@ForAll("events") List<UsageEvent> events,
      @ForAll("widths") BucketWidth finer) {
    Map<RollupKey, UsageRollup> fine = RollupCalculator.rollup(events, finer);
    assertThat(RollupCalculator.coarsen(fine, BucketWidth.DAY))
        .isEqualTo(RollupCalculator.rollup(events, BucketWidth.DAY));
  }

  @Property(tries = 200)
  void partialRecomputationEqualsOnePass(@ForAll("events") List<UsageEvent> events,
      @ForAll("widths") BucketWidth width, @ForAll long seed) {
    List<UsageEvent> left = new ArrayList<>();
    List<UsageEvent> right = new ArrayList<>();
    java.util.Random random = new java.util.Random(seed);
    events.forEach(e -> (random.nextBoolean() ? left : right).add(e));
    Map<RollupKey, UsageRollup> merged = RollupCalculator.mergeAll(
        RollupCalculator.rollup(left, width), RollupCalculator.rollup(right, width));
    assertThat(merged).isEqualTo(RollupCalculator.rollup(events, width));
  }

  @Property(tries = 200)
  void totalsAreSums(@ForAll("events") List<UsageEvent> events) {
    UsageRollup total = RollupCalculator.rollup(events, BucketWidth.DAY).values().stream()
        .reduce(UsageRollup.empty(), UsageRollup::merge);
    assertThat(total.requests()).isEqualTo(events.size());
    assertThat(total.errors()).isEqualTo(events.stream().filter(UsageEvent::isError).count());
    assertThat(total.inputTokens()).isEqualTo(events.stream().mapToLong(UsageEvent::inputTokens).sum());
    assertThat(total.costMicros()).isEqualTo(events.stream().mapToLong(e -> e.costMicros().orElseThrow()).sum());
    assertThat(total.latency().count()).isEqualTo(events.size());
  }
}
