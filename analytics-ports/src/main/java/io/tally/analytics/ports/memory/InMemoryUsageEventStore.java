package io.tally.analytics.ports.memory;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventKey;
import io.tally.analytics.ports.out.AppendOutcome;
import io.tally.analytics.ports.out.AppendResult;
import io.tally.analytics.ports.out.EventRange;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.UsageEventStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link UsageEventStore} over {@link InMemoryUsageData}; it also appends the batch's dead letters there. */
public final class InMemoryUsageEventStore implements UsageEventStore {
  private static final Comparator<UsageEvent> ORDER =
      Comparator.comparing(UsageEvent::occurredAt).thenComparing(UsageEvent::eventId);

  private final InMemoryUsageData data;

  /** @return a store over fresh, empty data */
  public static InMemoryUsageEventStore create() {
    return new InMemoryUsageData().eventStore();
  }

  InMemoryUsageEventStore(InMemoryUsageData data) {
    this.data = data;
  }

  @Override
  public AppendResult append(IngestionBatch batch) {
    synchronized (data) {
      // Everything that can fail is checked before anything changes, so a failed append leaves nothing.
      List<DeadLetter> letters = data.lettersToAdd(batch.deadLetters());
      List<AppendOutcome> outcomes = new ArrayList<>(batch.events().size());
      for (FingerprintedEvent event : batch.events()) {
        FingerprintedEvent stored = data.events.putIfAbsent(event.key(), event);
        if (stored == null) {
          data.index(event.event());
          outcomes.add(AppendOutcome.INSERTED);
        } else if (stored.fingerprint().equals(event.fingerprint())) {
          outcomes.add(AppendOutcome.DUPLICATE);
        } else {
          data.conflicts.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event);
          outcomes.add(AppendOutcome.CONFLICT);
        }
      }
      data.batchIds.add(batch.batchId());
      batch.source().position().ifPresent(p -> data.offsets.merge(key(p.stream(), p.consumer()), p.lastOffset(),
          Math::max));
      data.addLetters(letters);
      return AppendResult.of(outcomes);
    }
  }

  @Override
  public Optional<Long> committedOffset(String stream, String consumer) {
    synchronized (data) {
      return Optional.ofNullable(data.offsets.get(key(stream, consumer)));
    }
  }

  @Override
  public void scan(EventRange range, Consumer<UsageEvent> sink) {
    List<UsageEvent> matching;
    synchronized (data) {
      matching = matching(range);
    }
    matching.forEach(sink);
  }

  @Override
  public long count(EventRange range) {
    synchronized (data) {
      return matching(range).size();
    }
  }

  @Override
  public Optional<FingerprintedEvent> find(UsageEventKey key) {
    synchronized (data) {
      return Optional.ofNullable(data.events.get(key));
    }
  }

  @Override
  public List<FingerprintedEvent> conflictingPayloads(UsageEventKey key) {
    synchronized (data) {
      return List.copyOf(data.conflicts.getOrDefault(key, List.of()));
    }
  }

  private List<UsageEvent> matching(EventRange range) {
    return data.eventsBetween(range.orgId(), range.start(), range.end()).stream()
        .filter(e -> range.modelId().map(e.modelId()::equals).orElse(true))
        .sorted(ORDER)
        .toList();
  }

  private static String key(String stream, String consumer) {
    return stream + "\u0000" + consumer;
  }
}
