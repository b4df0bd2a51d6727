package io.tally.analytics.core.pricing;

import io.tally.analytics.core.usage.UsageEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Effective-dated model prices with per-organisation overrides, and the cost rule. This class is the one home of
 * the pricing rules; stores that evaluate the arithmetic themselves (in SQL) get the prices to use from
 * {@link #periods} and are held to {@link #cost} by the contract suites.
 *
 * <p><b>Which price applies</b> to an event of organisation {@code o} and model {@code m} at instant {@code t}: the
 * override of {@code (o, m)} with the latest {@code effectiveFrom <= t}, if there is one; otherwise the list price
 * of {@code m} with the latest {@code effectiveFrom <= t}; before the first entry the model has no price. An
 * override, once in effect, stays in effect for that organisation until a later override replaces it; list price
 * changes do not reach it.
 *
 * <p><b>Whose cost wins:</b> an event that carries its own {@code costMicros} keeps it; the book prices only the
 * events without one. An event without a cost and without a price in force is <i>unpriced</i>: it counts as a
 * request with its tokens, and as {@code unpricedRequests} instead of cost.
 *
 * <p><b>Cost rule</b> (integer arithmetic only, money never touches floating point):
 * {@code cost = floor((inputTokens * inputPrice + outputTokens * outputPrice + 500_000) / 1_000_000)}, i.e. rounded
 * half-up per event, where the prices are micro-units per million tokens. {@link #cost} raises
 * {@code pricing.overflow} when the exact result does not fit a {@code long}; {@link #costOf} counts such an event as
 * unpriced (it needs more than 9.2 million million tokens at the largest accepted price).
 */
public final class PriceBook {
  private static final long PER_MILLION = 1_000_000L;
  private static final PriceBook EMPTY = new PriceBook(Map.of(), Map.of());

  private final Map<String, NavigableMap<Instant, ModelPrice>> listPrices;
  private final Map<Scope, NavigableMap<Instant, ModelPrice>> overrides;

  private record Scope(UUID orgId, String modelId) {}

  private PriceBook(Map<String, NavigableMap<Instant, ModelPrice>> listPrices,
      Map<Scope, NavigableMap<Instant, ModelPrice>> overrides) {
    this.listPrices = listPrices;
    this.overrides = overrides;
  }

  /**
   * @param prices every price entry; two entries must not share a {@link PriceKey}
   * @return the book
   */
  public static PriceBook of(Collection<ModelPrice> prices) {
    Map<String, NavigableMap<Instant, ModelPrice>> list = new HashMap<>();
    Map<Scope, NavigableMap<Instant, ModelPrice>> orgs = new HashMap<>();
    for (ModelPrice p : prices) {
      NavigableMap<Instant, ModelPrice> schedule = p.orgId().isPresent()
          ? orgs.computeIfAbsent(new Scope(p.orgId().get(), p.modelId()), s -> new TreeMap<>())
          : list.computeIfAbsent(p.modelId(), m -> new TreeMap<>());
      if (schedule.putIfAbsent(p.effectiveFrom(), p) != null) {
        throw new IllegalArgumentException("two prices for " + p.key());
      }
    }
    return new PriceBook(Map.copyOf(list), Map.copyOf(orgs));
  }

  /** @return a book without prices: only events that carry their own cost are priced */
  public static PriceBook empty() {
    return EMPTY;
  }

  /** @return every entry, ordered by {@link PriceKey#ORDER} */
  public List<ModelPrice> entries() {
    List<ModelPrice> all = new ArrayList<>();
    listPrices.values().forEach(s -> all.addAll(s.values()));
    overrides.values().forEach(s -> all.addAll(s.values()));
    all.sort((a, b) -> PriceKey.ORDER.compare(a.key(), b.key()));
    return all;
  }

  /**
   * @param price an entry to add or to replace the entry with the same key
   * @return a new book with it
   */
  public PriceBook with(ModelPrice price) {
    Map<PriceKey, ModelPrice> byKey = byKey();
    byKey.put(price.key(), price);
    return of(byKey.values());
  }

  /**
   * @param key an entry's key
   * @return a new book without that entry (the same book when it has none)
   */
  public PriceBook without(PriceKey key) {
    Map<PriceKey, ModelPrice> byKey = byKey();
    return byKey.remove(key) == null ? this : of(byKey.values());
  }

  /**
   * @param key a key
   * @return the entry with exactly that key
   */
  public Optional<ModelPrice> entry(PriceKey key) {
    NavigableMap<Instant, ModelPrice> schedule = schedule(key.modelId(), key.orgId());
    return schedule == null ? Optional.empty() : Optional.ofNullable(schedule.get(key.effectiveFrom()));
  }

  /**
   * @param modelId model
   * @param at instant of the request
   * @return the list price in force, or empty when none is
   */
  public Optional<ModelPrice> priceAt(String modelId, Instant at) {
    return floor(listPrices.get(modelId), at);
  }

  /**
   * @param orgId the organisation
   * @param modelId model
   * @param at instant of the request
   * @return the organisation's override in force, else the list price in force, else empty
   */
  public Optional<ModelPrice> priceAt(UUID orgId, String modelId, Instant at) {
    return floor(overrides.get(new Scope(orgId, modelId)), at).or(() -> priceAt(modelId, at));
  }

  /**
   * @param event an event
   * @return its own cost when it carries one, otherwise its cost by the book; empty when it is unpriced
   */
  public OptionalLong costOf(UsageEvent event) {
    if (event.costMicros().isPresent()) {
      return OptionalLong.of(event.costMicros().get());
    }
    return bookCost(event);
  }

  /**
   * @param event an event (its own costMicros is ignored)
   * @return the cost by the book, or empty when no price is in force or the cost does not fit a long
   */
  public OptionalLong bookCost(UsageEvent event) {
    Optional<ModelPrice> price = priceAt(event.orgId(), event.modelId(), event.occurredAt());
    if (price.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(cost(event.inputTokens(), event.outputTokens(), price.get()));
    } catch (PricingException overflow) {
      return OptionalLong.empty();
    }
  }

  /**
   * @param inputTokens input tokens, {@code >= 0}
   * @param outputTokens output tokens, {@code >= 0}
   * @param price price entry
   * @return cost in micro-units, rounded half-up
   * @throws PricingException {@code pricing.overflow} when the exact cost does not fit a long
   */
  public static long cost(long inputTokens, long outputTokens, ModelPrice price) {
    try {
      long scaled = Math.addExact(
          Math.multiplyExact(inputTokens, price.inputMicrosPerMillionTokens()),
          Math.multiplyExact(outputTokens, price.outputMicrosPerMillionTokens()));
      return Math.addExact(scaled, PER_MILLION / 2) / PER_MILLION;
    } catch (ArithmeticException e) {
      // The product overflowed, but the rounded quotient may still fit: decide exactly.
      BigInteger exact = BigInteger.valueOf(inputTokens)
          .multiply(BigInteger.valueOf(price.inputMicrosPerMillionTokens()))
          .add(BigInteger.valueOf(outputTokens)
              .multiply(BigInteger.valueOf(price.outputMicrosPerMillionTokens())))
          .add(BigInteger.valueOf(PER_MILLION / 2))
          .divide(BigInteger.valueOf(PER_MILLION));
      if (exact.bitLength() < Long.SIZE) {
        return exact.longValueExact();
      }
      throw new PricingException("pricing.overflow", "cost of " + inputTokens + "/" + outputTokens
          + " tokens overflows a long at price " + price);
    }
  }

  /**
   * The prices one organisation pays during {@code [start, end)}, for every model that has one: what a store
   * evaluating {@link #cost} in bulk joins its events to. Periods of one model do not overlap; a time without a
   * price has no period.
   *
   * @param orgId the organisation
   * @param start first instant (inclusive)
   * @param end end (exclusive)
   * @return the periods, ordered by model then start
   */
  public List<PricePeriod> periods(UUID orgId, Instant start, Instant end) {
    if (!end.isAfter(start)) {
      return List.of();
    }
    TreeSet<String> models = new TreeSet<>(listPrices.keySet());
    overrides.keySet().stream().filter(s -> s.orgId().equals(orgId)).forEach(s -> models.add(s.modelId()));
    List<PricePeriod> periods = new ArrayList<>();
    for (String model : models) {
      List<Instant> cuts = cuts(model, Optional.of(orgId), start, end);
      for (int i = 0; i < cuts.size(); i++) {
        Instant from = cuts.get(i);
        Instant to = i + 1 < cuts.size() ? cuts.get(i + 1) : end;
        Optional<ModelPrice> price = priceAt(orgId, model, from);
        if (price.isEmpty()) {
          continue;
        }
        PricePeriod last = periods.isEmpty() ? null : periods.get(periods.size() - 1);
        if (last != null && last.modelId().equals(model) && last.end().equals(from) && last.price().equals(price.get())) {
          periods.set(periods.size() - 1, new PricePeriod(model, last.start(), to, last.price()));
        } else {
          periods.add(new PricePeriod(model, from, to, price.get()));
        }
      }
    }
    return periods;
  }

  /**
   * Where replacing this book by {@code after} changes what one model costs. Only entries of the given scope are
   * compared: for the list price ({@code orgId} empty) the list schedules, for an override the organisation's
   * effective prices. The ranges are exact for an override and cover every organisation for the list price (an
   * organisation under an override in part of a range is recomputed needlessly, never missed).
   *
   * @param after the book after the change
   * @param modelId the model whose entry changed
   * @param orgId the organisation of the changed override, or empty for a list price
   * @return maximal ranges in which the price differs, in time order
   */
  public List<RepricedRange> repricedRanges(PriceBook after, String modelId, Optional<UUID> orgId) {
    TreeSet<Instant> breaks = new TreeSet<>();
    breaks.addAll(cuts(modelId, orgId, Instant.MIN, Instant.MAX));
    breaks.addAll(after.cuts(modelId, orgId, Instant.MIN, Instant.MAX));
    breaks.remove(Instant.MIN);
    List<RepricedRange> ranges = new ArrayList<>();
    Instant openStart = null;
    for (Instant at : breaks) {
      boolean differs = !samePrice(priceIn(modelId, orgId, at), after.priceIn(modelId, orgId, at));
      if (differs && openStart == null) {
        openStart = at;
      } else if (!differs && openStart != null) {
        ranges.add(new RepricedRange(modelId, orgId, openStart, Optional.of(at)));
        openStart = null;
      }
    }
    if (openStart != null) {
      ranges.add(new RepricedRange(modelId, orgId, openStart, Optional.empty()));
    }
    return ranges;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PriceBook other && entries().equals(other.entries());
  }

  @Override
  public int hashCode() {
    return entries().hashCode();
  }

  @Override
  public String toString() {
    return "PriceBook" + entries();
  }

  private Optional<ModelPrice> priceIn(String modelId, Optional<UUID> orgId, Instant at) {
    return orgId.map(org -> priceAt(org, modelId, at)).orElseGet(() -> priceAt(modelId, at));
  }

  private static boolean samePrice(Optional<ModelPrice> a, Optional<ModelPrice> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty() || a.get().chargesLike(b.get()));
  }

  /** {@code start} and every effective instant of the model's list and (if any) override entries inside the range. */
  private List<Instant> cuts(String modelId, Optional<UUID> orgId, Instant start, Instant end) {
    TreeSet<Instant> cuts = new TreeSet<>();
    cuts.add(start);
    List<NavigableMap<Instant, ModelPrice>> schedules = new ArrayList<>();
    schedules.add(listPrices.get(modelId));
    orgId.ifPresent(org -> schedules.add(overrides.get(new Scope(org, modelId))));
    for (NavigableMap<Instant, ModelPrice> s : schedules) {
      if (s != null) {
        cuts.addAll(s.subMap(start, false, end, false).keySet());
      }
    }
    return new ArrayList<>(cuts);
  }

  private NavigableMap<Instant, ModelPrice> schedule(String modelId, Optional<UUID> orgId) {
    return orgId.map(org -> overrides.get(new Scope(org, modelId))).orElseGet(() -> listPrices.get(modelId));
  }

  private Map<PriceKey, ModelPrice> byKey() {
    Map<PriceKey, ModelPrice> byKey = new HashMap<>();
    entries().forEach(p -> byKey.put(p.key(), p));
    return byKey;
  }

  private static Optional<ModelPrice> floor(NavigableMap<Instant, ModelPrice> schedule, Instant at) {
    return schedule == null ? Optional.empty() : Optional.ofNullable(schedule.floorEntry(at)).map(Map.Entry::getValue);
  }
}
