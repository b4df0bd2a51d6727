package io.tally.analytics.ports.memory;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.pricing.RepricedRange;
import io.tally.analytics.ports.out.PriceBookStore;
import io.tally.analytics.ports.out.PriceChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PriceBookStore} over {@link InMemoryUsageData}: a write holds the data lock (one transaction, serialized
 * with every refresh) and marks the (org, model, hour) of every event without its own cost in a repriced range.
 */
public final class InMemoryPriceBookStore implements PriceBookStore {
  private final InMemoryUsageData data;

  InMemoryPriceBookStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public PriceBook current() {
    synchronized (data) {
      return data.priceBook();
    }
  }

  @Override
  public List<PriceEntry> entries(Optional<String> modelId) {
    synchronized (data) {
      return data.prices.values().stream().filter(e -> modelId.map(e.price().modelId()::equals).orElse(true))
          .sorted((a, b) -> PriceKey.ORDER.compare(a.key(), b.key())).toList();
    }
  }

  @Override
  public PriceChanges put(List<PriceEntry> entries) {
    synchronized (data) {
      List<PriceChange> changes = new ArrayList<>();
      List<RepricedRange> ranges = new ArrayList<>();
      for (PriceEntry entry : entries) {
        Optional<PriceEntry> before = Optional.ofNullable(data.prices.get(entry.key()));
        if (before.isPresent() && before.get().price().chargesLike(entry.price())) {
          continue;
        }
        PriceBook old = data.priceBook();
        data.prices.put(entry.key(), entry);
        ranges.addAll(old.repricedRanges(data.priceBook(), entry.key().modelId(), entry.key().orgId()));
        changes.add(new PriceChange(entry.key(), before, Optional.of(entry)));
      }
      changes.sort((a, b) -> PriceKey.ORDER.compare(a.key(), b.key()));
      return new PriceChanges(changes, data.markRepriced(ranges));
    }
  }

  @Override
  public PriceChanges delete(PriceKey key) {
    synchronized (data) {
      PriceBook old = data.priceBook();
      PriceEntry removed = data.prices.remove(key);
      if (removed == null) {
        return new PriceChanges(List.of(), 0);
      }
      long marked = data.markRepriced(old.repricedRanges(data.priceBook(), key.modelId(), key.orgId()));
      return new PriceChanges(List.of(new PriceChange(key, Optional.of(removed), Optional.empty())), marked);
    }
  }
}
