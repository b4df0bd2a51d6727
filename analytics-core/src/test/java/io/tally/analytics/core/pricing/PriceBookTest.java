package io.tally.analytics.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PriceBookTest {
  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant JUN = Instant.parse("2026-06-01T00:00:00Z");
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  private final PriceBook book = PriceBook.of(List.of(
      new ModelPrice("m", JUN, 2_000_000, 6_000_000),
      new ModelPrice("m", JAN, 1_000_000, 3_000_000)));

  private static UsageEvent event(UUID org, Instant at, long in, long out) {
    return new UsageEvent("e", org, at, "m", Optional.empty(), Optional.empty(), in, out,
        Optional.empty(), 1, UsageStatus.SUCCESS, Optional.empty(), Optional.empty());
  }

  private static UsageEvent event(Instant at, long in, long out) {
    return event(UUID.randomUUID(), at, in, out);
  }

  private static ModelPrice override(UUID org, Instant from, long in, long out) {
    return new ModelPrice("m", Optional.of(org), from, in, out);
  }

  @Test
  void picksTheLatestPriceInForce() {
    assertThat(book.priceAt("m", JAN.minusSeconds(1))).isEmpty();
    assertThat(book.priceAt("m", JAN)).map(ModelPrice::inputMicrosPerMillionTokens).contains(1_000_000L);
    assertThat(book.priceAt("m", JUN.minusMillis(1))).map(ModelPrice::inputMicrosPerMillionTokens)
        .contains(1_000_000L);
    assertThat(book.priceAt("m", JUN)).map(ModelPrice::inputMicrosPerMillionTokens).contains(2_000_000L);
    assertThat(book.priceAt("other", JUN)).isEmpty();
  }

  @Test
  void costsInIntegerMicrosRoundedHalfUp() {
    // 812 * 1.0 + 230 * 3.0 = 1502 micros exactly
    assertThat(book.costOf(event(JAN, 812, 230))).hasValue(1502L);
    ModelPrice odd = new ModelPrice("m", JAN, 1, 0);
    assertThat(PriceBook.cost(499_999, 0, odd)).isZero();
    assertThat(PriceBook.cost(500_000, 0, odd)).isEqualTo(1);
    assertThat(PriceBook.cost(1_499_999, 0, odd)).isEqualTo(1);
    assertThat(PriceBook.cost(1_500_000, 0, odd)).isEqualTo(2);
  }

  @Test
  void theClientsCostWinsAndAnEventWithoutPriceIsUnpriced() {
    assertThat(book.costOf(event(JUN, 1000, 0).withCostMicros(7))).hasValue(7L);
    assertThat(book.bookCost(event(JUN, 1000, 0).withCostMicros(7))).hasValue(2000L);
    assertThat(book.costOf(event(JUN, 1000, 1000))).hasValue(8000L);
    assertThat(book.costOf(event(JAN.minusSeconds(5), 1, 1))).isEmpty();
    assertThat(PriceBook.empty().costOf(event(JUN, 1, 1))).isEmpty();
  }

  @Test
  void anOverrideWinsForItsOrganisationFromItsEffectiveInstantOn() {
    PriceBook withOverride = book.with(override(ORG, MAR, 500_000, 1_000_000));
    assertThat(withOverride.priceAt(ORG, "m", MAR.minusMillis(1))).map(ModelPrice::inputMicrosPerMillionTokens)
        .contains(1_000_000L);
    assertThat(withOverride.priceAt(ORG, "m", MAR)).map(ModelPrice::inputMicrosPerMillionTokens).contains(500_000L);
    assertThat(withOverride.priceAt(ORG, "m", JUN)).as("a later list price does not reach the override")
        .map(ModelPrice::inputMicrosPerMillionTokens).contains(500_000L);
    assertThat(withOverride.priceAt(OTHER, "m", JUN)).map(ModelPrice::inputMicrosPerMillionTokens)
        .contains(2_000_000L);
    assertThat(withOverride.costOf(event(ORG, JUN, 1_000_000, 0))).hasValue(500_000L);
  }

  @Test
  void anOverrideBeforeAnyListPriceStillPrices() {
    PriceBook only = PriceBook.of(List.of(override(ORG, JAN, 1_000_000, 0)));
    assertThat(only.costOf(event(ORG, JAN, 3, 0))).hasValue(3L);
    assertThat(only.costOf(event(OTHER, JAN, 3, 0))).isEmpty();
  }

  @Test
  void overflowIsAFaultForTheFormulaAndUnpricedForAnEvent() {
    ModelPrice huge = new ModelPrice("m", JAN, ModelPrice.MAX_MICROS_PER_MILLION, 0);
    assertThatThrownBy(() -> PriceBook.cost(Long.MAX_VALUE, 0, huge)).isInstanceOf(PricingException.class)
        .satisfies(e -> assertThat(((PricingException) e).errorCode()).isEqualTo("pricing.overflow"));
    // The product overflows a long, the rounded result does not: exact, not a fault.
    assertThat(PriceBook.cost(10_000_000_000L, 0, huge)).isEqualTo(10_000_000_000_000_000L);
    PriceBook hugeBook = PriceBook.of(List.of(huge));
    assertThat(hugeBook.costOf(event(JAN, Long.MAX_VALUE, 0))).isEqualTo(OptionalLong.empty());
  }

  @Test
  void entriesAreValidatedWithStableCodes() {
    assertCode(() -> new ModelPrice("bad model", JAN, 1, 1), "price.invalid_model_id");
    assertCode(() -> new ModelPrice("m", JAN, -1, 1), "price.invalid_amount");
    assertCode(() -> new ModelPrice("m", JAN, 1, ModelPrice.MAX_MICROS_PER_MILLION + 1), "price.invalid_amount");
    assertCode(() -> new ModelPrice("m", Instant.parse("1969-12-31T23:59:59Z"), 1, 1),
        "price.invalid_effective_from");
    assertCode(() -> new PriceEntry(new ModelPrice("m", JAN, 1, 1), " ", JAN), "price.invalid_source");
    assertThatThrownBy(() -> PriceBook.of(List.of(new ModelPrice("m", JAN, 1, 1), new ModelPrice("m", JAN, 2, 2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PriceBook.of(List.of(new ModelPrice("m", JAN, 1, 1), override(ORG, JAN, 2, 2))).entries())
        .hasSize(2);
  }

  @Test
  void periodsCoverTheRangeWithThePriceInForce() {
    PriceBook withOverride = book.with(override(ORG, MAR, 500_000, 1_000_000))
        .with(new ModelPrice("n", JUN, 9, 9));
    Instant start = Instant.parse("2025-12-31T00:00:00Z");
    Instant end = Instant.parse("2026-07-01T00:00:00Z");
    assertThat(withOverride.periods(ORG, start, end)).containsExactly(
        new PricePeriod("m", JAN, MAR, withOverride.priceAt("m", JAN).orElseThrow()),
        new PricePeriod("m", MAR, end, withOverride.priceAt(ORG, "m", MAR).orElseThrow()),
        new PricePeriod("n", JUN, end, withOverride.priceAt("n", JUN).orElseThrow()));
    assertThat(withOverride.periods(OTHER, JUN, end)).extracting(PricePeriod::modelId).containsExactly("m", "n");
    assertThat(withOverride.periods(OTHER, end, end)).isEmpty();
  }

  @Test
  void repricedRangesAreWhereThePriceDiffers() {
    PriceBook changed = book.with(new ModelPrice("m", MAR, 7, 7));
    assertThat(book.repricedRanges(changed, "m", Optional.empty()))
        .containsExactly(new RepricedRange("m", Optional.empty(), MAR, Optional.of(JUN)));
    PriceBook corrected = book.with(new ModelPrice("m", JUN, 3, 3));
    assertThat(book.repricedRanges(corrected, "m", Optional.empty()))
        .containsExactly(new RepricedRange("m", Optional.empty(), JUN, Optional.empty()));
    assertThat(book.repricedRanges(book.with(new ModelPrice("m", MAR, 1_000_000, 3_000_000)), "m",
        Optional.empty())).as("same charge, nothing to re-price").isEmpty();
    PriceBook withOverride = book.with(override(ORG, MAR, 1_000_000, 3_000_000));
    assertThat(book.repricedRanges(withOverride, "m", Optional.of(ORG))).as("differs only once JUN's list price"
        + " would have applied").containsExactly(new RepricedRange("m", Optional.of(ORG), JUN, Optional.empty()));
    assertThat(withOverride.repricedRanges(book, "m", Optional.of(ORG)))
        .containsExactly(new RepricedRange("m", Optional.of(ORG), JUN, Optional.empty()));
    assertThat(PriceBook.empty().repricedRanges(book, "m", Optional.empty()))
        .containsExactly(new RepricedRange("m", Optional.empty(), JAN, Optional.empty()));
  }

  private static void assertCode(Runnable r, String code) {
    assertThatThrownBy(r::run).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo(code));
  }
}
