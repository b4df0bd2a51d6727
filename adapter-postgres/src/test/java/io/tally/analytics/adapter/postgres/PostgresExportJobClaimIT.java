package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.ports.testdata.ExportJobTestData.aPendingJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.ports.service.ExportsService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The export queue under real concurrency: separate JDBC connections, locks held across statements. */
class PostgresExportJobClaimIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  private static final Instant T0 = Instant.parse("2025-11-08T00:00:00Z");

  private PostgresExportJobStore store;

  @BeforeAll
  static void failInsteadOfHanging() {
    // A claim that waited on a lock instead of skipping it would hang the build; make it an error instead.
    db.jdbi().useHandle(h -> h.execute("ALTER DATABASE " + db.databaseName() + " SET lock_timeout = '10s'"));
  }

  @BeforeEach
  void emptyQueue() {
    PolicyTables.empty(db);
    store = new PostgresExportJobStore(db.jdbi());
  }

  @Test
  void aClaimSkipsAJobAnotherConnectionHoldsLockedInsteadOfWaiting() {
    store.create(aPendingJob("j0", "org-a", T0));
    store.create(aPendingJob("j1", "org-a", T0.plusSeconds(1)));
    try (Handle holder = db.jdbi().open()) {
      holder.begin();
      holder.createQuery("SELECT job_id FROM analytics.export_jobs WHERE job_id = 'j0' FOR UPDATE")
          .mapTo(String.class).one();
      assertThat(store.claimNext(T0.plusSeconds(5), "w", T0.plusSeconds(65))).map(ExportJob::jobId).contains("j1");
      assertThat(store.claimNext(T0.plusSeconds(5), "w", T0.plusSeconds(65))).isEmpty();
      holder.rollback();
    }
    assertThat(store.claimNext(T0.plusSeconds(6), "w", T0.plusSeconds(66))).map(ExportJob::jobId).contains("j0");
  }

  @Test
  void workersOfSeparateAppInstancesClaimEachJobOnce() throws InterruptedException {
    int workers = 4;
    int jobs = 120;
    for (int i = 0; i < jobs; i++) {
      store.create(aPendingJob(String.format("j%04d", i), "org-" + (i % 3), T0.plusMillis(i)));
    }
    List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      // Each worker has its own Jdbi and connections, as separate app processes would.
      PostgresExportJobStore own = new PostgresExportJobStore(
          Jdbi.create(TestDatabases.dataSource(db.databaseName())).installPlugin(new PostgresPlugin()));
      Thread t = new Thread(() -> {
        try {
          Optional<ExportJob> next;
          while ((next = own.claimNext(T0.plusSeconds(60), "w", T0.plusSeconds(120))).isPresent()) {
            claimed.add(next.get().jobId());
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(claimed).hasSize(jobs);
    assertThat(new HashSet<>(claimed)).hasSize(jobs);
    long running = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM analytics.export_jobs WHERE status = 'running'").mapTo(Long.class).one());
    assertThat(running).isEqualTo(jobs);
  }

  @Test
  void aClaimNeverMovesUpdatedAtBackwards() {
    store.create(aPendingJob("j0", "org-a", T0.plusSeconds(100)));
    ExportJob claimed = store.claimNext(T0, "w", T0.plusSeconds(60)).orElseThrow();
    assertThat(claimed.status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(claimed.updatedAt()).isEqualTo(T0.plusSeconds(100));
  }

  @Test
  void writesAreScopedToTheJobsOrganisation() {
    store.create(aPendingJob("j0", "org-a", T0));
    ExportJob running = store.claimNext(T0, "w", T0.plusSeconds(60)).orElseThrow();
    ExportJob foreign = new ExportJob("j0", "org-b", "mallory", running.spec(), ExportStatus.CANCELLED,
        running.attempts(), running.maxAttempts(), T0, T0, 0, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
    assertThat(store.updateIfHeldBy("w", foreign)).isFalse();
    assertThat(store.updateAtomically("org-b", "j0", j -> j.cancel(T0))).isEmpty();
    assertThat(store.get("org-a", "j0").orElseThrow().status()).isEqualTo(ExportStatus.RUNNING);
  }

  @Test
  void aCancelWaitsForAConcurrentHeartbeatAndTheHeartbeatAfterItFails() {
    store.create(aPendingJob("j0", "org-a", T0));
    ExportJob running = store.claimNext(T0, "w", T0.plusSeconds(60)).orElseThrow();
    store.updateAtomically("org-a", "j0", j -> j.cancel(T0.plusSeconds(1)));
    assertThat(store.updateIfHeldBy("w", running.renew(T0.plusSeconds(2), "w", 10, T0.plusSeconds(62)))).isFalse();
    ExportJob stored = store.get("org-a", "j0").orElseThrow();
    assertThat(stored.status()).isEqualTo(ExportStatus.CANCELLED);
    assertThat(stored.lease()).isEmpty();
  }

  @Test
  void aCursorThatIsNotOursIsTheCallersMistake() {
    assertThatThrownBy(() -> store.list("org-a", Optional.of("not-a-cursor"), 10))
        .isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo(ExportsService.INVALID_PAGE);
  }
}
