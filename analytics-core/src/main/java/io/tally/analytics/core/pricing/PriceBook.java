package io.tally.analytics.core.pricing;

import io.tally.analytics.core.usage.UsageEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Effective-dated model prices and the cost rule.
 *
 * <p><b>Lookup:</b> the price of a model at instant {@code t} is the entry with the latest
 * {@code effectiveFrom <= t}; before the first entry the model has no price.
 *
 * <p><b>Cost rule</b> (integer arithmetic only, money never touches floating point):
 * {@code cost = (inputTokens * inputPrice + outputTokens * outputPrice) / 1_000_000}, rounded half-up, where the
 * prices are micro-units per million tokens. Every multiplication and addition is overflow-checked
 * ({@link Math#multiplyExact}); an overflow raises {@code pricing.overflow} instead of a wrong bill.
 */
public final class PriceBook {
  private static final long PER_MILLION = 1_000_000L;

  private final Map<String, NavigableMap<Instant, ModelPrice>> byModel;

  private PriceBook(Map<String, NavigableMap<Instant, ModelPrice>> byModel) {
    this.byModel = byModel;
  }

  /**
   * @param prices every price entry; two entries of one model must not share an effectiveFrom
   * @return the book
   */
  public static PriceBook of(List<ModelPrice> prices) {
    Map<String, NavigableMap<Instant, ModelPrice>> byModel = prices.stream()
        .sorted(Comparator.comparing(ModelPrice::effectiveFrom))
        .collect(Collectors.groupingBy(ModelPrice::modelId, Collectors.toMap(ModelPrice::effectiveFrom, p -> p,
            (a, b) -> {
              throw new IllegalArgumentException("two prices for " + a.modelId() + " at " + a.effectiveFrom());
            }, TreeMap::new)));
    return new PriceBook(Map.copyOf(byModel));
  }

  /** @return a book without prices (every event must then carry its own cost) */
  public static PriceBook empty() {
    return new PriceBook(Map.of());
  }

  /**
   * @param modelId model
   * @param at instant of the request
   * @return the price in force, or empty when none is
   */
  public Optional<ModelPrice> priceAt(String modelId, Instant at) {
    NavigableMap<Instant, ModelPrice> prices = byModel.get(modelId);
    return prices == null ? Optional.empty() : Optional.ofNullable(prices.floorEntry(at)).map(Map.Entry::getValue);
  }

  /**
   * @param event an event (its own costMicros is ignored)
   * @return the cost by the rule above, or empty when the model has no price at that time
   */
  public Optional<Long> costOf(UsageEvent event) {
    return priceAt(event.modelId(), event.occurredAt())
        .map(p -> cost(event.inputTokens(), event.outputTokens(), p));
  }

  /**
   * @param event an event
   * @return the event unchanged when it carries a cost, otherwise a copy priced by this book
   * @throws PricingException {@code pricing.no_price} when it has no cost and no price applies
   */
  public UsageEvent priced(UsageEvent event) {
    Objects.requireNonNull(event, "event");
    if (event.costMicros().isPresent()) {
      return event;
    }
    long cost = costOf(event).orElseThrow(() -> new PricingException("pricing.no_price",
        "no price for model " + event.modelId() + " at " + event.occurredAt()));
    return event.withCostMicros(cost);
  }

  /**
   * @param inputTokens input tokens
   * @param outputTokens output tokens
   * @param price price entry
   * @return cost in micro-units, rounded half-up
   */
  public static long cost(long inputTokens, long outputTokens, ModelPrice price) {
    try {
      long scaled = Math.addExact(
          Math.multiplyExact(inputTokens, price.inputMicrosPerMillionTokens()),
          Math.multiplyExact(outputTokens, price.outputMicrosPerMillionTokens()));
      return Math.addExact(scaled, PER_MILLION / 2) / PER_MILLION;
    } catch (ArithmeticException e) {
      throw new PricingException("pricing.overflow", "cost of " + inputTokens + "/" + outputTokens
          + " tokens overflows a long at price " + price);
    }
  }
}
