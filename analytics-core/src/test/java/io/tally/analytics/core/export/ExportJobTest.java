package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportJobTest {
  static final Instant T0 = Instant.parse("2025-11-08T00:00:00Z");
  static final ExportSpec SPEC = new ExportSpec(ExportKind.USAGE_ROLLUP, Instant.parse("2025-11-01T00:00:00Z"),
      Instant.parse("2025-11-08T00:00:00Z"), ExportGranularity.DAILY);
  static final ExportRetryPolicy RETRY = new ExportRetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60));
  static final ExportFailure S3_DOWN = new ExportFailure(ExportFailureReason.OBJECT_STORE_UNAVAILABLE, "s3 down");

  static ExportJob fresh(int maxAttempts) {
    return ExportJob.pending("job-1", "org-a", "alice", SPEC, maxAttempts, T0);
  }

  static ExportManifest manifest(long rows) {
    return new ExportManifest("job-1", "exports/org-a/job-1/1/" + SPEC.fileName(), SPEC.fileName(),
        ExportCompression.NONE.contentType(), ExportCompression.NONE, rows, 100, "a".repeat(64),
        ExportCsv.USAGE_COLUMNS, ExportManifest.Query.of("org-a", SPEC), Optional.of(T0), T0, "test");
  }

  static ExportJob running(int maxAttempts, String owner) {
    return fresh(maxAttempts).claim(T0, owner, T0.plusSeconds(30));
  }

  @Test
  void happyPathEndsSucceededWithTheManifest() {
    ExportJob done = running(3, "w1").renew(T0.plusSeconds(1), "w1", 20, T0.plusSeconds(31))
        .succeed(T0.plusSeconds(5), "w1", manifest(42), T0.plus(Duration.ofDays(7)));
    assertThat(done.status()).isEqualTo(ExportStatus.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.objectKey()).contains("exports/org-a/job-1/1/" + SPEC.fileName());
    assertThat(done.rowCount()).contains(42L);
    assertThat(done.rowsWritten()).isEqualTo(42);
    assertThat(done.lease()).isEmpty();
    assertThat(done.updatedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(done.isDownloadable(T0.plus(Duration.ofDays(1)))).isTrue();
  }

  @Test
  void aClaimTakesALeaseAndCountsTheAttempt() {
    ExportJob job = running(3, "w1");
    assertThat(job.status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(job.lease()).contains(new ExportLease("w1", T0.plusSeconds(30)));
    assertThat(job.attempts()).isEqualTo(1);
    assertThat(job.isClaimable(T0.plusSeconds(29))).isFalse();
    assertThat(job.isClaimable(T0.plusSeconds(30))).isTrue();
  }

  @Test
  void aHeartbeatRecordsProgressAndPushesTheLeaseOut() {
    ExportJob job = running(3, "w1").renew(T0.plusSeconds(20), "w1", 5_000, T0.plusSeconds(50));
    assertThat(job.rowsWritten()).isEqualTo(5_000);
    assertThat(job.isClaimable(T0.plusSeconds(40))).isFalse();
  }

  @Test
  void aLapsedLeaseIsTakenOverAsANewAttempt() {
    ExportJob taken = running(3, "w1").claim(T0.plusSeconds(31), "w2", T0.plusSeconds(61));
    assertThat(taken.status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(taken.lease().orElseThrow().owner()).isEqualTo("w2");
    assertThat(taken.attempts()).isEqualTo(2);
    assertThat(taken.rowsWritten()).isZero();
    assertThat(taken.failure().orElseThrow().reason()).isEqualTo(ExportFailureReason.WORKER_LOST);
  }

  @Test
  void aLapsedLeaseOnTheLastAttemptFailsTheJob() {
    ExportJob lost = running(1, "w1").claim(T0.plusSeconds(31), "w2", T0.plusSeconds(61));
    assertThat(lost.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(lost.failure().orElseThrow().reason().code()).isEqualTo("export.worker_lost");
  }

  @Test
  void onlyTheLeaseOwnerMayFinishTheJob() {
    ExportJob taken = running(3, "w1").claim(T0.plusSeconds(31), "w2", T0.plusSeconds(61));
    assertThatThrownBy(() -> taken.succeed(T0.plusSeconds(40), "w1", manifest(1), T0.plus(Duration.ofDays(1))))
        .extracting("errorCode").isEqualTo(ExportJob.LEASE_LOST);
    assertThatThrownBy(() -> taken.renew(T0.plusSeconds(40), "w1", 1, T0.plusSeconds(70)))
        .extracting("errorCode").isEqualTo(ExportJob.LEASE_LOST);
    ExportJob cancelled = taken.cancel(T0.plusSeconds(41));
    assertThatThrownBy(() -> cancelled.fail(T0.plusSeconds(42), "w2", S3_DOWN, RETRY))
        .extracting("errorCode").isEqualTo(ExportJob.LEASE_LOST);
  }

  @Test
  void aRetryableFailureWaitsWithBackoffThenRunsAgain() {
    ExportJob retried = running(3, "w1").fail(T0.plusSeconds(1), "w1", S3_DOWN, RETRY);
    assertThat(retried.status()).isEqualTo(ExportStatus.PENDING);
    assertThat(retried.retryAt()).contains(T0.plusSeconds(6));
    assertThat(retried.failure()).contains(S3_DOWN);
    assertThat(retried.isClaimable(T0.plusSeconds(5))).isFalse();
    ExportJob second = retried.claim(T0.plusSeconds(6), "w1", T0.plusSeconds(36))
        .fail(T0.plusSeconds(7), "w1", S3_DOWN, RETRY);
    assertThat(second.retryAt()).contains(T0.plusSeconds(17));
  }

  @Test
  void theLastRetryableFailureIsTerminal() {
    ExportJob job = running(2, "w").fail(T0, "w", S3_DOWN, RETRY);
    ExportJob failed = job.claim(job.retryAt().orElseThrow(), "w", T0.plusSeconds(60))
        .fail(T0.plusSeconds(10), "w", S3_DOWN, RETRY);
    assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThatThrownBy(() -> failed.claim(T0.plusSeconds(100), "w", T0.plusSeconds(200)))
        .isInstanceOf(io.tally.analytics.core.TallyException.class)
        .extracting("errorCode").isEqualTo("export.illegal_transition");
  }

  @Test
  void aPermanentFailureIsTerminalAtOnce() {
    ExportJob failed = running(3, "w").fail(T0, "w",
        new ExportFailure(ExportFailureReason.TOO_MANY_ROWS, "12001 rows"), RETRY);
    assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
  }

  @Test
  void pendingAndRunningJobsCanBeCancelledFinishedOnesCannot() {
    assertThat(fresh(3).cancel(T0).status()).isEqualTo(ExportStatus.CANCELLED);
    ExportJob cancelled = running(3, "w").cancel(T0);
    assertThat(cancelled.status()).isEqualTo(ExportStatus.CANCELLED);
    assertThat(cancelled.lease()).isEmpty();
    assertThatThrownBy(() -> cancelled.cancel(T0)).extracting("errorCode").isEqualTo(ExportJob.NOT_CANCELLABLE);
    ExportJob done = running(3, "w").succeed(T0, "w", manifest(1), T0.plusSeconds(60));
    assertThatThrownBy(() -> done.cancel(T0)).extracting("errorCode").isEqualTo(ExportJob.NOT_CANCELLABLE);
  }

  @Test
  void cannotSucceedWithoutRunning() {
    assertThatThrownBy(() -> fresh(1).succeed(T0, "w", manifest(1), T0.plusSeconds(60)))
        .extracting("errorCode").isEqualTo(ExportJob.LEASE_LOST);
  }

  @Test
  void expiresAtTheExpiryInstant() {
    Instant until = T0.plusSeconds(3600);
    ExportJob done = running(1, "w").succeed(T0, "w", manifest(0), until);
    assertThat(done.isExpired(until.minusNanos(1))).isFalse();
    assertThat(done.isExpired(until)).isTrue();
    assertThat(done.isDownloadable(until)).isFalse();
    assertThat(fresh(1).isExpired(until)).isFalse();
  }

  @Test
  void specNeedsStartBeforeEndAndNamesItsFile() {
    assertThatThrownBy(() -> new ExportSpec(ExportKind.RAW_EVENTS, T0, T0, ExportGranularity.HOURLY))
        .extracting("errorCode").isEqualTo("export.invalid_request");
    assertThat(SPEC.fileName()).isEqualTo("tally-usage-daily-20251101T0000Z-20251108T0000Z.csv");
    assertThat(new ExportSpec(ExportKind.RAW_EVENTS, T0, T0.plusSeconds(3600), ExportGranularity.HOURLY,
        ExportCompression.GZIP).fileName()).isEqualTo("tally-raw-20251108T0000Z-20251108T0100Z.csv.gz");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    assertThat(List.of(1, 2, 3, 4, 5, 50).stream().map(RETRY::delayAfter).map(Duration::toSeconds).toList())
        .containsExactly(5L, 10L, 20L, 40L, 60L, 60L);
  }
}
