package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresPriceBookSourceIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private PostgresPriceBookSource source;

  @BeforeEach
  void emptyBook() {
    db.jdbi().useHandle(h -> h.execute("TRUNCATE analytics.price_book"));
    source = new PostgresPriceBookSource(db.jdbi());
  }

  @Test
  void anEmptyTableIsAnEmptyBook() {
    assertThat(source.current().priceAt("llama-3-70b", T0)).isEmpty();
  }

  @Test
  void pricesApplyFromTheirEffectiveInstantAndAPutReplacesTheSameInstant() {
    source.put(new ModelPrice("llama-3-70b", T0, 500_000, 1_500_000));
    source.put(new ModelPrice("llama-3-70b", T0.plusSeconds(86_400), 400_000, 1_200_000));
    source.put(new ModelPrice("llama-3-70b", T0.plusSeconds(86_400), 300_000, 900_000));
    PriceBook book = source.current();
    assertThat(book.priceAt("llama-3-70b", T0.minusSeconds(1))).isEmpty();
    assertThat(book.priceAt("llama-3-70b", T0.plusSeconds(10)).orElseThrow().inputMicrosPerMillionTokens())
        .isEqualTo(500_000);
    assertThat(book.priceAt("llama-3-70b", T0.plusSeconds(86_400)).orElseThrow().outputMicrosPerMillionTokens())
        .isEqualTo(900_000);
  }
}
