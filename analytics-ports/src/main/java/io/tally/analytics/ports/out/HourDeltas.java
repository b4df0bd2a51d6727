package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.RollupKey;
import io.tally.analytics.core.rollup.UsageRollup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The claimed hours a store can refresh incrementally ({@link RollupTransaction#takeDeltas}), with what the refresh
 * merges for them: the stored hourly rollup of each of their (org, model, hour) keys, and the rollups of the events
 * appended to each key since (its deltas, each built by {@link RollupComputation#fromEvents} at append time). For
 * every key of these hours, stored rollup (or none) merged with its deltas is the rollup of all its stored events.
 *
 * @param hours the claimed hours refreshed this way; every other claimed hour is recomputed from its raw events
 * @param stored the stored hourly rollups of those hours, by hourly key (a key without one has none yet)
 * @param deltas the deltas of those hours, by hourly key, in the order they were appended; a key without any has
 *     not changed
 */
public record HourDeltas(Set<OrgHour> hours, Map<RollupKey, UsageRollup> stored,
    Map<RollupKey, List<UsageRollup>> deltas) {
  private static final HourDeltas NONE = new HourDeltas(Set.of(), Map.of(), Map.of());

  /** Copies; every key must belong to one of {@code hours}. */
  public HourDeltas {
    hours = Set.copyOf(Objects.requireNonNull(hours, "hours"));
    stored = Map.copyOf(Objects.requireNonNull(stored, "stored"));
    for (RollupKey key : stored.keySet()) {
      requireIn(hours, key);
    }
    Map<RollupKey, List<UsageRollup>> copy = new HashMap<>();
    for (Map.Entry<RollupKey, List<UsageRollup>> d : Objects.requireNonNull(deltas, "deltas").entrySet()) {
      requireIn(hours, d.getKey());
      copy.put(d.getKey(), List.copyOf(d.getValue()));
    }
    deltas = Map.copyOf(copy);
  }

  /** @return no incremental hours: every claimed hour is recomputed from its raw events */
  public static HourDeltas none() {
    return NONE;
  }

  private static void requireIn(Set<OrgHour> hours, RollupKey key) {
    if (!hours.contains(new OrgHour(key.orgId(), key.bucketStart()))) {
      throw new IllegalArgumentException("key outside the incremental hours: " + key);
    }
  }
}
