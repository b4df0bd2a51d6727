package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ExportJobProperties {
  enum Step { START, SUCCEED, FAIL }

  @Property
  void randomTransitionsNeverLeaveATerminalStateNorExceedTheLimit(
      @ForAll @IntRange(min = 1, max = 5) int maxAttempts, @ForAll @Size(max = 30) List<Step> steps) {
    ExportJob job = ExportJobTest.fresh(maxAttempts);
    Instant now = ExportJobTest.T0;
    for (Step step : steps) {
      now = now.plusSeconds(1);
      ExportStatus before = job.status();
      try {
        job = apply(job, step, now);
        assertThat(before.isTerminal()).as("left terminal state %s", before).isFalse();
      } catch (TallyException illegal) {
        assertThat(illegal.errorCode()).isEqualTo("export.illegal_transition");
      }
      assertThat(job.attempts()).isBetween(0, maxAttempts);
      assertThat(job.status() == ExportStatus.FAILED).isEqualTo(job.attempts() == maxAttempts);
    }
  }

  private static ExportJob apply(ExportJob job, Step step, Instant now) {
    return switch (step) {
      case START -> job.start(now);
      case SUCCEED -> job.succeed(now, "k", 1, now.plusSeconds(60));
      case FAIL -> job.fail(now, "boom");
    };
  }
}
