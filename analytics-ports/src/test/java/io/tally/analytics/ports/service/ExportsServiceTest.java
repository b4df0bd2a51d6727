package io.tally.analytics.ports.service;

import static io.tally.analytics.ports.testdata.ExportJobTestData.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.core.rbac.AccessDeniedException;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.Exports.CreateExport;
import io.tally.analytics.ports.in.Exports.DownloadLink;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryExportJobStore;
import io.tally.analytics.ports.memory.InMemoryObjectStore;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.ExportJobTestData;
import io.tally.analytics.ports.testdata.SequentialIds;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportsServiceTest {
  private final MutableTimeSource clock = MutableTimeSource.standard();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final InMemoryExportJobStore jobs = new InMemoryExportJobStore();
  private final ExportsService exports = new ExportsService(
      new AuditedAccessGuard(AccessPolicy.standard(), audit, clock), jobs, new InMemoryObjectStore(clock),
      new SequentialIds("job"), clock, ExportSettings.defaults());
  private final Actor analyst = Actors.withRoles("org-a", "analyst");

  private ExportJob runToSuccess(ExportJob job, Duration retention) {
    ExportJob running = jobs.claimNext(clock.now(), ExportJobTestData.WORKER, clock.now().plusSeconds(60))
        .orElseThrow();
    ExportJob done = ExportJobTestData.succeeded(running, "exports/org-a/" + job.jobId() + ".csv", 3, clock.now(),
        clock.now().plus(retention));
    assertThat(jobs.updateIfHeldBy(ExportJobTestData.WORKER, done)).isTrue();
    return done;
  }

  @Test
  void createMakesAPendingJobOwnedByTheOrg() {
    ExportJob job = exports.create(analyst, new CreateExport("org-a", WEEK));
    assertThat(job.status()).isEqualTo(ExportStatus.PENDING);
    assertThat(job.requestedBy()).isEqualTo(analyst.subject());
    assertThat(job.maxAttempts()).isEqualTo(3);
    assertThat(exports.get(analyst, "org-a", job.jobId())).contains(job);
  }

  @Test
  void downloadBeforeSuccessIsNotReady() {
    ExportJob job = exports.create(analyst, new CreateExport("org-a", WEEK));
    assertThatThrownBy(() -> exports.download(analyst, "org-a", job.jobId())).extracting("errorCode")
        .isEqualTo("export.not_ready");
  }

  @Test
  void downloadAfterSuccessIsASignedUrlNoLongerThanTheTtl() {
    ExportJob job = exports.create(analyst, new CreateExport("org-a", WEEK));
    runToSuccess(job, Duration.ofDays(7));
    DownloadLink link = exports.download(analyst, "org-a", job.jobId());
    assertThat(link.url()).startsWith("memory:exports/org-a/" + job.jobId() + ".csv?");
    assertThat(link.expiresAt()).isEqualTo(clock.now().plus(Duration.ofHours(24)));
  }

  @Test
  void urlNeverOutlivesTheExport() {
    ExportJob job = exports.create(analyst, new CreateExport("org-a", WEEK));
    runToSuccess(job, Duration.ofHours(2));
    clock.advance(Duration.ofHours(1));
    assertThat(exports.download(analyst, "org-a", job.jobId()).expiresAt())
        .isEqualTo(clock.now().plus(Duration.ofHours(1)));
  }

  @Test
  void downloadAfterExpiryIsExpired() {
    ExportJob job = exports.create(analyst, new CreateExport("org-a", WEEK));
    runToSuccess(job, Duration.ofHours(1));
    clock.advance(Duration.ofHours(1));
    assertThatThrownBy(() -> exports.download(analyst, "org-a", job.jobId())).extracting("errorCode")
        .isEqualTo("export.expired");
  }

  @Test
  void cancelStopsAPendingOrRunningJobIsAuditedAndRefusesFinishedOnes() {
    ExportJob pending = exports.create(analyst, new CreateExport("org-a", WEEK));
    assertThat(exports.cancel(analyst, "org-a", pending.jobId()).status()).isEqualTo(ExportStatus.CANCELLED);
    assertThat(audit.all().get(audit.all().size() - 1).action()).isEqualTo("exports.cancel");
    assertThatThrownBy(() -> exports.cancel(analyst, "org-a", pending.jobId())).extracting("errorCode")
        .isEqualTo("export.not_cancellable");
    ExportJob done = exports.create(analyst, new CreateExport("org-a", WEEK));
    runToSuccess(done, Duration.ofDays(1));
    assertThatThrownBy(() -> exports.cancel(analyst, "org-a", done.jobId())).extracting("errorCode")
        .isEqualTo("export.not_cancellable");
    assertThatThrownBy(() -> exports.cancel(analyst, "org-a", "nope")).extracting("errorCode")
        .isEqualTo("export.not_found");
    assertThatThrownBy(() -> exports.cancel(Actors.withRoles("org-a", "viewer"), "org-a", done.jobId()))
        .extracting("errorCode").isEqualTo("auth.forbidden");
    assertThatThrownBy(() -> exports.cancel(Actors.adminOf("org-b"), "org-a", done.jobId()))
        .extracting("errorCode").isEqualTo("auth.cross_org");
  }

  @Test
  void unknownJobIsNotFoundAndAnotherOrgsJobIsInvisible() {
    assertThatThrownBy(() -> exports.download(analyst, "org-a", "nope")).extracting("errorCode")
        .isEqualTo("export.not_found");
    ExportJob theirs = exports.create(Actors.adminOf("org-b"), new CreateExport("org-b", WEEK));
    assertThat(exports.get(analyst, "org-a", theirs.jobId())).isEmpty();
  }

  @Test
  void crossOrgAccessIsDeniedAndAudited() {
    assertThatThrownBy(() -> exports.create(Actors.adminOf("org-a"), new CreateExport("org-b", WEEK)))
        .isInstanceOf(AccessDeniedException.class).extracting("errorCode").isEqualTo("auth.cross_org");
    assertThat(audit.all().get(0).decision()).isEqualTo("deny");
    assertThat(audit.all().get(0).action()).isEqualTo("exports.create");
  }

  @Test
  void viewersMayReadButNotCreateOrDownload() {
    Actor viewer = Actors.withRoles("org-a", "viewer");
    assertThat(exports.list(viewer, "org-a", Optional.empty(), 10).jobs()).isEmpty();
    assertThatThrownBy(() -> exports.create(viewer, new CreateExport("org-a", WEEK))).extracting("errorCode")
        .isEqualTo("auth.forbidden");
    assertThatThrownBy(() -> exports.download(viewer, "org-a", "x")).extracting("errorCode")
        .isEqualTo("auth.forbidden");
  }

  @Test
  void listPagesAndRejectsBadLimits() {
    for (int i = 0; i < 3; i++) {
      exports.create(analyst, new CreateExport("org-a", WEEK));
      clock.advance(Duration.ofSeconds(1));
    }
    var first = exports.list(analyst, "org-a", Optional.empty(), 2);
    assertThat(first.jobs()).extracting(ExportJob::jobId).containsExactly("job-3", "job-2");
    assertThat(exports.list(analyst, "org-a", first.nextCursor(), 2).jobs()).extracting(ExportJob::jobId)
        .containsExactly("job-1");
    assertThatThrownBy(() -> exports.list(analyst, "org-a", Optional.empty(), 0)).extracting("errorCode")
        .isEqualTo("export.invalid_page");
    assertThatThrownBy(() -> exports.list(analyst, "org-a", Optional.empty(), 101)).extracting("errorCode")
        .isEqualTo("export.invalid_page");
  }
}
