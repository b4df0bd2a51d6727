package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchDeduplicatorTest {
  @Test
  void firstOccurrenceWinsAndRepeatsAreClassified() {
    FingerprintedEvent a = FingerprintedEvent.of(UsageEventTest.event(10, 100));
    FingerprintedEvent aAgain = FingerprintedEvent.of(UsageEventTest.event(10, 100));
    FingerprintedEvent aChanged = FingerprintedEvent.of(UsageEventTest.event(99, 100));
    BatchDeduplicator.Result result = new BatchDeduplicator().deduplicate(List.of(a, aAgain, aChanged));
    assertThat(result.unique()).containsExactly(a);
    assertThat(result.outcomes()).containsExactly(new BatchDeduplicator.Outcome.Unique(0),
        new BatchDeduplicator.Outcome.Duplicate(0), new BatchDeduplicator.Outcome.Conflict(0));
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(result.conflicts()).isEqualTo(1);
  }
}
