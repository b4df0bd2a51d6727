package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportJobTest {
  static final Instant T0 = Instant.parse("2025-11-08T00:00:00Z");
  static final ExportSpec SPEC = new ExportSpec(ExportKind.USAGE_ROLLUP, Instant.parse("2025-11-01T00:00:00Z"),
      Instant.parse("2025-11-08T00:00:00Z"), ExportGranularity.DAILY);

  static ExportJob fresh(int maxAttempts) {
    return ExportJob.pending("job-1", "org-a", "alice", SPEC, maxAttempts, T0);
  }

  @Test
  void happyPathEndsSucceededWithTheObject() {
    ExportJob done = fresh(3).start(T0.plusSeconds(1))
        .succeed(T0.plusSeconds(5), "exports/org-a/job-1.csv", 42, T0.plus(Duration.ofDays(7)));
    assertThat(done.status()).isEqualTo(ExportStatus.SUCCEEDED);
    assertThat(done.objectKey()).contains("exports/org-a/job-1.csv");
    assertThat(done.rowCount()).contains(42L);
    assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(done.isDownloadable(T0.plus(Duration.ofDays(1)))).isTrue();
  }

  @Test
  void failureUnderTheLimitGoesBackToPendingWithOneMoreAttempt() {
    ExportJob retried = fresh(3).start(T0).fail(T0.plusSeconds(1), "s3 down");
    assertThat(retried.status()).isEqualTo(ExportStatus.PENDING);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.error()).contains("s3 down");
  }

  @Test
  void lastAllowedFailureIsTerminal() {
    ExportJob job = fresh(2).start(T0).fail(T0, "a").start(T0).fail(T0, "b");
    assertThat(job.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(job.attempts()).isEqualTo(2);
    assertThatThrownBy(() -> job.start(T0)).isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo("export.illegal_transition");
  }

  @Test
  void cannotSucceedWithoutRunning() {
    assertThatThrownBy(() -> fresh(1).succeed(T0, "k", 1, T0.plusSeconds(60)))
        .extracting("errorCode").isEqualTo("export.illegal_transition");
  }

  @Test
  void expiresAtTheExpiryInstant() {
    Instant until = T0.plusSeconds(3600);
    ExportJob done = fresh(1).start(T0).succeed(T0, "k", 0, until);
    assertThat(done.isExpired(until.minusNanos(1))).isFalse();
    assertThat(done.isExpired(until)).isTrue();
    assertThat(done.isDownloadable(until)).isFalse();
    assertThat(fresh(1).isExpired(until)).isFalse();
  }

  @Test
  void specNeedsStartBeforeEnd() {
    assertThatThrownBy(() -> new ExportSpec(ExportKind.RAW_EVENTS, T0, T0, ExportGranularity.HOURLY))
        .extracting("errorCode").isEqualTo("export.invalid_request");
  }
}
