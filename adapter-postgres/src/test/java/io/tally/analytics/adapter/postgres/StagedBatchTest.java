package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.UsageRows.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StagedBatchTest {

  private static final Instant T = Instant.parse("2026-10-01T00:00:00Z");

  @Test
  void sortsByKeyAndFlagsLaterArrivalsOfAKeyAsRepeats() {
    UUID a = new UUID(0, 1);
    UUID b = new UUID(0, 2);
    UsageEventRow b1 = row(b, "x", T);
    UsageEventRow a2 = row(a, "y", T);
    UsageEventRow a1 = row(a, "x", T);
    UsageEventRow a1Changed = row(a, "x", T, 9, 9, 9);
    UsageEventRow a1Again = row(a, "x", T);

    UsageBatchAppender.Staged staged =
        UsageBatchAppender.Staged.of(List.of(b1, a1Changed, a2, a1, a1Again));

    // a1Changed arrived first among the (a, x) rows, so it is the one that may be inserted.
    assertThat(staged.rows()).containsExactly(a1Changed, a1, a1Again, a2, b1);
    assertThat(staged.repeat()).containsExactly(false, true, true, false, false);
  }

  @Test
  void microsecondsSinceEpochAreExact() {
    assertThat(UnnestStagingLoader.epochMicros(Instant.parse("2026-10-01T10:15:30.123456789Z")))
        .isEqualTo(1_790_849_730_123_456L);
    assertThat(UnnestStagingLoader.epochMicros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1);
  }

  @Test
  void partitionBoundsAreUtcDays() {
    assertThat(PartitionMaintainer.createStatement(LocalDate.parse("2026-10-01")))
        .isEqualTo(
            "CREATE TABLE IF NOT EXISTS analytics.usage_events_p20261001 PARTITION OF analytics.usage_events"
                + " FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-10-02 00:00:00+00')");
  }
}
