package io.tally.analytics.core.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Removes repeats of the same {@link UsageEventKey} inside one batch; the first occurrence wins. A repeat with
 * the same fingerprint is a {@link Outcome.Duplicate}, a repeat with a different fingerprint a
 * {@link Outcome.Conflict} — both are values, and the later payload never replaces the first.
 */
public final class BatchDeduplicator {

  /** What happened to one input position. */
  public sealed interface Outcome permits Outcome.Unique, Outcome.Duplicate, Outcome.Conflict {
    /**
     * First occurrence of its key in the batch.
     *
     * @param uniqueIndex position of the event in {@link Result#unique()}
     */
    record Unique(int uniqueIndex) implements Outcome {}

    /**
     * Same key and same fingerprint as an earlier input.
     *
     * @param firstIndex input index of the occurrence that was kept
     */
    record Duplicate(int firstIndex) implements Outcome {}

    /**
     * Same key as an earlier input but a different payload; the earlier one was kept.
     *
     * @param firstIndex input index of the occurrence that was kept
     */
    record Conflict(int firstIndex) implements Outcome {}
  }

  /**
   * @param outcomes one outcome per input, aligned with the input list
   * @param unique the first occurrence of every key, in input order
   */
  public record Result(List<Outcome> outcomes, List<FingerprintedEvent> unique) {
    /** Copies. */
    public Result {
      outcomes = List.copyOf(outcomes);
      unique = List.copyOf(unique);
    }

    /** @return number of in-batch duplicates */
    public long duplicates() {
      return outcomes.stream().filter(Outcome.Duplicate.class::isInstance).count();
    }

    /** @return number of in-batch conflicts */
    public long conflicts() {
      return outcomes.stream().filter(Outcome.Conflict.class::isInstance).count();
    }
  }

  /**
   * @param events validated events in arrival order
   * @return per-input outcomes and the de-duplicated list
   */
  public Result deduplicate(List<FingerprintedEvent> events) {
    Objects.requireNonNull(events, "events");
    Map<UsageEventKey, Integer> firstIndexByKey = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(events.size());
    List<FingerprintedEvent> unique = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      FingerprintedEvent event = events.get(i);
      Integer first = firstIndexByKey.putIfAbsent(event.key(), i);
      if (first == null) {
        outcomes.add(new Outcome.Unique(unique.size()));
        unique.add(event);
      } else if (events.get(first).fingerprint().equals(event.fingerprint())) {
        outcomes.add(new Outcome.Duplicate(first));
      } else {
        outcomes.add(new Outcome.Conflict(first));
      }
    }
    return new Result(outcomes, unique);
  }
}
