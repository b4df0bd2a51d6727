package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ExportJobProperties {
  enum Step { CLAIM_W1, CLAIM_W2, RENEW_W1, SUCCEED_W1, SUCCEED_W2, FAIL_RETRYABLE_W1, FAIL_PERMANENT_W2, CANCEL,
    WAIT }

  @Property
  void randomHistoriesKeepEveryInvariant(
      @ForAll @IntRange(min = 1, max = 5) int maxAttempts, @ForAll @Size(max = 40) List<Step> steps) {
    ExportJob job = ExportJobTest.fresh(maxAttempts);
    Instant now = ExportJobTest.T0;
    for (Step step : steps) {
      now = now.plusSeconds(step == Step.WAIT ? 120 : 1);
      ExportStatus before = job.status();
      String ownerBefore = job.lease().map(ExportLease::owner).orElse(null);
      try {
        ExportJob next = apply(job, step, now);
        if (step != Step.WAIT) {
          assertThat(before.isTerminal()).as("left terminal state %s", before).isFalse();
        }
        if (before == ExportStatus.RUNNING && next.status() != ExportStatus.RUNNING && step != Step.CANCEL
            && !step.name().startsWith("CLAIM")) {
          assertThat(step.name()).as("only the owner finishes a job").endsWith(ownerBefore.toUpperCase());
        }
        job = next;
      } catch (TallyException refused) {
        assertThat(refused.errorCode()).isIn(ExportJob.ILLEGAL_TRANSITION, ExportJob.LEASE_LOST,
            ExportJob.NOT_CANCELLABLE);
      }
      assertThat(job.attempts()).isBetween(0, maxAttempts);
      assertThat(job.lease().isPresent()).isEqualTo(job.status() == ExportStatus.RUNNING);
    }
  }

  private static ExportJob apply(ExportJob job, Step step, Instant now) {
    ExportRetryPolicy retry = ExportJobTest.RETRY;
    return switch (step) {
      case CLAIM_W1 -> job.claim(now, "w1", now.plusSeconds(60));
      case CLAIM_W2 -> job.claim(now, "w2", now.plusSeconds(60));
      case RENEW_W1 -> job.renew(now, "w1", 10, now.plusSeconds(60));
      case SUCCEED_W1 -> job.succeed(now, "w1", ExportJobTest.manifest(3), now.plusSeconds(600));
      case SUCCEED_W2 -> job.succeed(now, "w2", ExportJobTest.manifest(3), now.plusSeconds(600));
      case FAIL_RETRYABLE_W1 -> job.fail(now, "w1", ExportJobTest.S3_DOWN, retry);
      case FAIL_PERMANENT_W2 -> job.fail(now, "w2",
          new ExportFailure(ExportFailureReason.TOO_MANY_ROWS, "too many"), retry);
      case CANCEL -> job.cancel(now);
      case WAIT -> job;
    };
  }

  @Property
  void backoffNeverShrinksAndNeverPassesItsCap(@ForAll @IntRange(min = 1, max = 60) int failed) {
    ExportRetryPolicy p = ExportRetryPolicy.DEFAULT;
    assertThat(p.delayAfter(failed)).isLessThanOrEqualTo(p.max()).isGreaterThanOrEqualTo(p.first());
    assertThat(p.delayAfter(failed + 1)).isGreaterThanOrEqualTo(p.delayAfter(failed));
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds = Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
        Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
    Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999)
        .map(ms -> ms * 1_000_000), Arbitraries.integers().between(0, 999_999).map(us -> us * 1_000),
        Arbitraries.integers().between(0, 999_999_999));
    return net.jqwik.api.Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }

  @Property
  void instantsAreSpelledExactlyAsInstantToString(@ForAll("instants") Instant t) {
    assertThat(ExportCsv.instant(t)).isEqualTo(t.toString());
  }

  @Provide
  Arbitrary<Long> micros() {
    return Arbitraries.longs().between(0, Long.MAX_VALUE);
  }

  @Property
  void costUsdIsExactlyTheMicrosOverAMillion(@ForAll("micros") long micros) {
    String usd = ExportCsv.usd(micros);
    assertThat(usd).matches("\\d+\\.\\d{6}");
    assertThat(new java.math.BigDecimal(usd).movePointRight(6).longValueExact()).isEqualTo(micros);
  }
}
