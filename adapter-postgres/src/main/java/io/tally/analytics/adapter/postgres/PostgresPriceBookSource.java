package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.ports.out.PriceBookSource;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * The price book in {@code analytics.price_book}, read whole on every {@link #current()}: the table holds a few
 * rows per model and an operator's new price must apply to the next batch, so there is no cache to go stale.
 * {@link #put} is how prices get there (an upsert on (model, effectiveFrom)).
 */
public final class PostgresPriceBookSource implements PriceBookSource {

  private static final String ALL =
      """
      SELECT model_id, effective_from, input_micros_per_million, output_micros_per_million
        FROM analytics.price_book
      """;

  private static final String UPSERT =
      """
      INSERT INTO analytics.price_book (model_id, effective_from, input_micros_per_million, output_micros_per_million)
      VALUES (:modelId, :effectiveFrom, :input, :output)
      ON CONFLICT ON CONSTRAINT price_book_pk DO UPDATE
         SET input_micros_per_million = EXCLUDED.input_micros_per_million,
             output_micros_per_million = EXCLUDED.output_micros_per_million
      """;

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresPriceBookSource(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public PriceBook current() {
    List<ModelPrice> prices = translate("price book read", () -> jdbi.withHandle(h -> h.createQuery(ALL)
        .map((rs, ctx) -> new ModelPrice(rs.getString("model_id"), UtcTimestamps.read(rs, "effective_from"),
            rs.getLong("input_micros_per_million"), rs.getLong("output_micros_per_million")))
        .list()));
    return PriceBook.of(prices);
  }

  /** Stores a price, replacing the model's price with the same effectiveFrom. */
  public void put(ModelPrice price) {
    translate("price book write", () -> jdbi.withHandle(h -> h.createUpdate(UPSERT)
        .bind("modelId", price.modelId())
        .bind("effectiveFrom", UtcTimestamps.bindable(price.effectiveFrom()))
        .bind("input", price.inputMicrosPerMillionTokens())
        .bind("output", price.outputMicrosPerMillionTokens())
        .execute()));
  }
}
