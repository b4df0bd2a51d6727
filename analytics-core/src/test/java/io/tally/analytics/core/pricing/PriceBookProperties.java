package io.tally.analytics.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The repricing and period rules against the plain lookup they must agree with. */
class PriceBookProperties {
  private static final List<UUID> ORGS = List.of(UUID.fromString("00000000-0000-0000-0000-000000000001"),
      UUID.fromString("00000000-0000-0000-0000-000000000002"));
  private static final List<String> MODELS = List.of("m1", "m2");
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final long SPAN_SECONDS = 4 * 86_400;

  @Provide
  Arbitrary<ModelPrice> prices() {
    return Combinators.combine(Arbitraries.of(MODELS),
            Arbitraries.of(Optional.<UUID>empty(), Optional.of(ORGS.get(0)), Optional.of(ORGS.get(1))),
            Arbitraries.longs().between(0, SPAN_SECONDS / 3600).map(h -> START.plusSeconds(h * 3600)),
            Arbitraries.longs().between(0, 3), Arbitraries.longs().between(0, 3_000_000))
        .as((model, org, from, in, out) -> new ModelPrice(model, org, from, in * 500_000, out));
  }

  @Provide
  Arbitrary<PriceBook> books() {
    return prices().list().ofMaxSize(8).map(list -> {
      Map<PriceKey, ModelPrice> byKey = new HashMap<>();
      list.forEach(p -> byKey.put(p.key(), p));
      return PriceBook.of(byKey.values());
    });
  }

  @Provide
  Arbitrary<UsageEvent> events() {
    return Combinators.combine(Arbitraries.of(ORGS), Arbitraries.of(MODELS),
            Arbitraries.longs().between(-3600, SPAN_SECONDS + 3600), Arbitraries.longs().between(0, 5_000_000),
            Arbitraries.longs().between(0, 5_000_000))
        .as((org, model, offset, in, out) -> new UsageEvent("e", org, START.plusSeconds(offset), model,
            Optional.empty(), Optional.empty(), in, out, Optional.empty(), 1, UsageStatus.SUCCESS, Optional.empty(),
            Optional.empty()));
  }

  @Provide
  Arbitrary<List<UsageEvent>> eventLists() {
    return events().list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void everyEventWhoseCostAChangeAltersIsInARepricedRange(@ForAll("books") PriceBook before,
      @ForAll("prices") ModelPrice changed, @ForAll boolean remove, @ForAll("eventLists") List<UsageEvent> events) {
    PriceBook after = remove ? before.without(changed.key()) : before.with(changed);
    List<RepricedRange> ranges = before.repricedRanges(after, changed.modelId(), changed.orgId());
    for (UsageEvent e : events) {
      OptionalLong was = before.costOf(e);
      OptionalLong is = after.costOf(e);
      if (!was.equals(is)) {
        assertThat(ranges).as("%s: %s -> %s", e, was, is)
            .anySatisfy(r -> assertThat(r.covers(e.orgId(), e.modelId(), e.occurredAt())).isTrue());
      }
    }
  }

  @Property(tries = 300)
  void periodsGiveEveryEventTheBooksCost(@ForAll("books") PriceBook book, @ForAll("eventLists") List<UsageEvent> events) {
    Instant from = START.minusSeconds(3600);
    Instant to = START.plusSeconds(SPAN_SECONDS + 7200);
    for (UUID org : ORGS) {
      List<PricePeriod> periods = book.periods(org, from, to);
      for (UsageEvent e : events.stream().filter(e -> e.orgId().equals(org)).toList()) {
        OptionalLong fromPeriods = periods.stream()
            .filter(p -> p.modelId().equals(e.modelId()) && !e.occurredAt().isBefore(p.start())
                && e.occurredAt().isBefore(p.end()))
            .mapToLong(p -> PriceBook.cost(e.inputTokens(), e.outputTokens(), p.price())).findFirst();
        assertThat(fromPeriods).isEqualTo(book.bookCost(e));
      }
    }
  }
}
