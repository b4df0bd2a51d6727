package io.tally.analytics.ports.memory;

import io.tally.analytics.core.pricing.PriceBook;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.pricing.RepricedRange;
import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The shared state behind the in-memory stores, playing the role of one database: an append marks buckets
 * dirty that a refresh then reads, as the PostgreSQL tables do. Every access synchronizes on this object, which
 * stands in for a transaction.
 */
public final class InMemoryUsageData {
  final Map<UsageEventKey, FingerprintedEvent> events = new HashMap<>();
  final Map<UUID, NavigableMap<Instant, List<UsageEvent>>> byOrgAndTime = new HashMap<>();
  final Map<UsageEventKey, List<FingerprintedEvent>> conflicts = new HashMap<>();
  final Map<String, Long> offsets = new HashMap<>();
  final Set<String> batchIds = new HashSet<>();
  final Map<PriceKey, PriceEntry> prices = new HashMap<>();
  final TreeSet<RollupKey> dirtyHours = new TreeSet<>(RollupKey.BY_BUCKET_THEN_MODEL);
  final Map<RollupKey, UsageRollup> hourly = new HashMap<>();
  final Map<RollupKey, UsageRollup> daily = new HashMap<>();
  final Map<UUID, Instant> watermarks = new HashMap<>();
  /** Every known organisation without a dirty hour is complete as of this (the PostgreSQL store's V7 row). */
  Optional<Instant> cleanAsOf = Optional.empty();
  final Set<UUID> knownOrgs = new HashSet<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  final Map<OrgHour, QuarantinedHour> quarantined = new HashMap<>();
  final Set<List<Object>> streamLetterKeys = new HashSet<>();
  private Optional<String> refusedPayload = Optional.empty();

  /** @return the usage event store over this data */
  public InMemoryUsageEventStore eventStore() {
    return new InMemoryUsageEventStore(this);
  }

  /** @return the dead-letter store over this data (its letters are appended by the event store) */
  public InMemoryDeadLetterStore deadLetterStore() {
    return new InMemoryDeadLetterStore(this);
  }

  /**
   * Fault injection for tests: from now on an append holding a dead letter with this payload fails, as a
   * database constraint would.
   *
   * @param payload the payload to refuse
   */
  public synchronized void refuseDeadLetterPayload(String payload) {
    refusedPayload = Optional.of(payload);
  }

  /** @return the rollup store over this data */
  public InMemoryRollupStore rollupStore() {
    return new InMemoryRollupStore(this);
  }

  /** @return the quarantine of failing hours over this data (the rollup store releases from it) */
  public InMemoryRollupQuarantine rollupQuarantine() {
    return new InMemoryRollupQuarantine(this);
  }

  /** @return the price book store over this data */
  public InMemoryPriceBookStore priceBookStore() {
    return new InMemoryPriceBookStore(this);
  }

  /** @return the freshness store over this data */
  public InMemoryFreshnessStore freshnessStore() {
    return new InMemoryFreshnessStore(this);
  }

  /**
   * Checks the letters before anything of their batch is stored (the in-memory stand-in for a rollback) and
   * returns the ones to add: every letter without a stream position, and a stream letter only when no letter
   * for its (stream, consumer, offset) is stored or earlier in the batch.
   */
  List<DeadLetter> lettersToAdd(List<DeadLetter> letters) {
    Set<List<Object>> keys = new HashSet<>();
    List<DeadLetter> fresh = new ArrayList<>();
    for (DeadLetter letter : letters) {
      if (refusedPayload.filter(letter.payload()::equals).isPresent()) {
        throw new IllegalStateException("dead letter refused: " + letter.payload());
      }
      Optional<List<Object>> key = streamKey(letter);
      if (key.isEmpty() || (!streamLetterKeys.contains(key.get()) && keys.add(key.get()))) {
        fresh.add(letter);
      }
    }
    return fresh;
  }

  void addLetters(List<DeadLetter> fresh) {
    for (DeadLetter letter : fresh) {
      streamKey(letter).ifPresent(streamLetterKeys::add);
      deadLetters.add(letter);
    }
  }

  private static Optional<List<Object>> streamKey(DeadLetter letter) {
    return letter.source().position().map(p -> List.of(p.stream(), p.consumer(), p.lastOffset()));
  }

  void index(UsageEvent event) {
    byOrgAndTime.computeIfAbsent(event.orgId(), o -> new TreeMap<>())
        .computeIfAbsent(event.occurredAt(), t -> new ArrayList<>()).add(event);
    knownOrgs.add(event.orgId());
    dirtyHours.add(new RollupKey(event.orgId(), event.modelId(), BucketWidth.HOUR.bucketStart(event.occurredAt())));
  }

  PriceBook priceBook() {
    return PriceBook.of(prices.values().stream().map(PriceEntry::price).toList());
  }

  /** Marks the bucket of every stored event without its own cost inside one of the ranges; returns how many. */
  long markRepriced(List<RepricedRange> ranges) {
    Set<RollupKey> marked = new HashSet<>();
    if (ranges.isEmpty()) {
      return 0;
    }
    for (NavigableMap<Instant, List<UsageEvent>> byTime : byOrgAndTime.values()) {
      for (List<UsageEvent> events : byTime.values()) {
        for (UsageEvent e : events) {
          if (e.costMicros().isEmpty()
              && ranges.stream().anyMatch(r -> r.covers(e.orgId(), e.modelId(), e.occurredAt()))) {
            marked.add(new RollupKey(e.orgId(), e.modelId(), BucketWidth.HOUR.bucketStart(e.occurredAt())));
          }
        }
      }
    }
    dirtyHours.addAll(marked);
    return marked.size();
  }

  boolean hasDirtyHour(UUID orgId) {
    return dirtyHours.stream().anyMatch(k -> k.orgId().equals(orgId));
  }

  List<UsageEvent> eventsBetween(UUID orgId, Instant start, Instant end) {
    NavigableMap<Instant, List<UsageEvent>> byTime = byOrgAndTime.get(orgId);
    List<UsageEvent> result = new ArrayList<>();
    if (byTime != null) {
      byTime.subMap(start, true, end, false).values().forEach(result::addAll);
    }
    return result;
  }
}
