package io.tally.analytics.ports.out;

import java.util.List;

/**
 * Result of an append, one outcome per input event in input order.
 *
 * @param inserted events stored
 * @param duplicates exact resends
 * @param conflicts resends with a different payload
 * @param perEvent outcomes aligned with {@link IngestionBatch#events()}
 */
public record AppendResult(int inserted, int duplicates, int conflicts, List<AppendOutcome> perEvent) {
  /** Validates that the counts agree with the outcomes. */
  public AppendResult {
    perEvent = List.copyOf(perEvent);
    if (inserted != count(perEvent, AppendOutcome.INSERTED) || duplicates != count(perEvent, AppendOutcome.DUPLICATE)
        || conflicts != count(perEvent, AppendOutcome.CONFLICT)) {
      throw new IllegalArgumentException("counts disagree with the per-event outcomes");
    }
  }

  /**
   * @param perEvent outcomes in input order
   * @return the result with counts derived from the outcomes
   */
  public static AppendResult of(List<AppendOutcome> perEvent) {
    return new AppendResult(count(perEvent, AppendOutcome.INSERTED), count(perEvent, AppendOutcome.DUPLICATE),
        count(perEvent, AppendOutcome.CONFLICT), perEvent);
  }

  private static int count(List<AppendOutcome> outcomes, AppendOutcome wanted) {
    return (int) outcomes.stream().filter(o -> o == wanted).count();
  }
}
