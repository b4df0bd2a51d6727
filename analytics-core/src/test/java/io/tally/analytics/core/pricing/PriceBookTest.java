package io.tally.analytics.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PriceBookTest {
  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant JUN = Instant.parse("2026-06-01T00:00:00Z");
  private final PriceBook book = PriceBook.of(List.of(
      new ModelPrice("m", JUN, 2_000_000, 6_000_000),
      new ModelPrice("m", JAN, 1_000_000, 3_000_000)));

  private static UsageEvent event(Instant at, long in, long out) {
    return new UsageEvent("e", UUID.randomUUID(), at, "m", Optional.empty(), Optional.empty(), in, out,
        Optional.empty(), 1, UsageStatus.SUCCESS, Optional.empty(), Optional.empty());
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
    assertThat(book.costOf(event(JAN, 812, 230))).contains(1502L);
    ModelPrice odd = new ModelPrice("m", JAN, 1, 0);
    assertThat(PriceBook.cost(499_999, 0, odd)).isZero();
    assertThat(PriceBook.cost(500_000, 0, odd)).isEqualTo(1);
    assertThat(PriceBook.cost(1_499_999, 0, odd)).isEqualTo(1);
    assertThat(PriceBook.cost(1_500_000, 0, odd)).isEqualTo(2);
  }

  @Test
  void pricedKeepsAClientCostAndFailsWithoutAPrice() {
    assertThat(book.priced(event(JUN, 1000, 0).withCostMicros(7)).costMicros()).contains(7L);
    assertThat(book.priced(event(JUN, 1000, 1000)).costMicros()).contains(8000L);
    assertThatThrownBy(() -> book.priced(event(JAN.minusSeconds(5), 1, 1)))
        .isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("pricing.no_price"));
  }

  @Test
  void overflowIsAFaultNotAWrongBill() {
    ModelPrice huge = new ModelPrice("m", JAN, Long.MAX_VALUE / 2, 0);
    assertThatThrownBy(() -> PriceBook.cost(3, 0, huge)).isInstanceOf(PricingException.class)
        .satisfies(e -> assertThat(((PricingException) e).errorCode()).isEqualTo("pricing.overflow"));
  }
}
