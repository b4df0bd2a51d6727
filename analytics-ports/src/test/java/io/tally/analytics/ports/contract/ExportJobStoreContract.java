package io.tally.analytics.ports.contract;

import static io.tally.analytics.ports.testdata.ExportJobTestData.aPendingJob;
import static io.tally.analytics.ports.testdata.ExportJobTestData.aManifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportFailure;
import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportRetryPolicy;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.ports.out.ExportJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link ExportJobStore} must have. Subclass and return a fresh, empty store. */
public abstract class ExportJobStoreContract {
  private static final Instant T0 = Instant.parse("2025-11-08T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private ExportJobStore store;

  /** @return an empty store */
  protected abstract ExportJobStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  @Test
  void createdJobIsReadableOnlyInItsOrg() {
    ExportJob job = aPendingJob("j1", "org-a", T0);
    store.create(job);
    assertThat(store.get("org-a", "j1")).contains(job);
    assertThat(store.get("org-b", "j1")).isEmpty();
    assertThat(store.get("org-a", "nope")).isEmpty();
  }

  private Optional<ExportJob> claim(Instant now, String owner) {
    return store.claimNext(now, owner, now.plus(LEASE));
  }

  @Test
  void theHolderStoresHeartbeatsAndTheOutcome() {
    store.create(aPendingJob("j1", "org-a", T0));
    ExportJob running = claim(T0.plusSeconds(1), "w1").orElseThrow();
    ExportJob beat = running.renew(T0.plusSeconds(2), "w1", 500, T0.plusSeconds(32));
    assertThat(store.updateIfHeldBy("w1", beat)).isTrue();
    assertThat(store.get("org-a", "j1")).contains(beat);
    ExportJob doneByW1 = beat.succeed(T0.plusSeconds(3), "w1",
        aManifest(beat, "exports/org-a/j1/1/f.csv", 10, T0.plusSeconds(3)), T0.plus(Duration.ofDays(7)));
    assertThat(store.updateIfHeldBy("w1", doneByW1)).isTrue();
    assertThat(store.get("org-a", "j1")).contains(doneByW1);
    assertThat(store.updateIfHeldBy("w1", beat)).as("a finished job is held by nobody").isFalse();
  }

  @Test
  void aWorkerThatLostItsJobCannotWriteIt() {
    store.create(aPendingJob("j1", "org-a", T0));
    ExportJob w1 = claim(T0, "w1").orElseThrow();
    ExportJob w2 = claim(T0.plus(LEASE), "w2").orElseThrow();
    assertThat(w2.attempts()).isEqualTo(2);
    assertThat(store.updateIfHeldBy("w1", w1.renew(T0.plusSeconds(40), "w1", 9, T0.plusSeconds(70)))).isFalse();
    assertThat(store.get("org-a", "j1")).contains(w2);
    store.updateAtomically("org-a", "j1", j -> j.cancel(T0.plusSeconds(41)));
    assertThat(store.updateIfHeldBy("w2", w2.renew(T0.plusSeconds(42), "w2", 9, T0.plusSeconds(72)))).isFalse();
    assertThat(store.get("org-a", "j1").orElseThrow().status()).isEqualTo(ExportStatus.CANCELLED);
  }

  @Test
  void updateAtomicallyAppliesTheChangeOnlyToTheOrgsJob() {
    store.create(aPendingJob("j1", "org-a", T0));
    assertThat(store.updateAtomically("org-b", "j1", j -> j.cancel(T0))).isEmpty();
    assertThat(store.updateAtomically("org-a", "ghost", j -> j.cancel(T0))).isEmpty();
    assertThat(store.updateAtomically("org-a", "j1", j -> j.cancel(T0.plusSeconds(1))).orElseThrow().status())
        .isEqualTo(ExportStatus.CANCELLED);
    assertThatThrownBy(() -> store.updateAtomically("org-a", "j1", j -> j.cancel(T0.plusSeconds(2))))
        .isInstanceOf(TallyException.class).extracting("errorCode").isEqualTo(ExportJob.NOT_CANCELLABLE);
    assertThat(store.get("org-a", "j1").orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void aLapsedLeaseIsTakenOverBeforeNewerPendingWorkAndALiveOneIsNot() {
    store.create(aPendingJob("old", "org-a", T0));
    claim(T0, "w1").orElseThrow();
    store.create(aPendingJob("new", "org-a", T0.plusSeconds(1)));
    assertThat(claim(T0.plusSeconds(2), "w2").orElseThrow().jobId()).isEqualTo("new");
    assertThat(claim(T0.plusSeconds(3), "w3")).as("both leases are alive").isEmpty();
    ExportJob taken = claim(T0.plus(LEASE), "w3").orElseThrow();
    assertThat(taken.jobId()).isEqualTo("old");
    assertThat(taken.lease().orElseThrow().owner()).isEqualTo("w3");
  }

  @Test
  void aLapsedJobWithoutAttemptsLeftIsFailedAsWorkerLost() {
    store.create(ExportJob.pending("j1", "org-a", "alice", aPendingJob("j1", "org-a", T0).spec(), 1, T0));
    claim(T0, "w1").orElseThrow();
    ExportJob lost = claim(T0.plus(LEASE), "w2").orElseThrow();
    assertThat(lost.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(lost.failure().orElseThrow().reason().code()).isEqualTo("export.worker_lost");
    assertThat(store.get("org-a", "j1")).contains(lost);
    assertThat(claim(T0.plus(LEASE).plusSeconds(1), "w2")).isEmpty();
  }

  @Test
  void aJobWaitingForItsRetryIsNotClaimedEarly() {
    store.create(aPendingJob("j1", "org-a", T0));
    ExportJob running = claim(T0, "w1").orElseThrow();
    ExportJob waiting = running.fail(T0.plusSeconds(1), "w1",
        new ExportFailure(ExportFailureReason.STORE_UNAVAILABLE, "db down"), ExportRetryPolicy.DEFAULT);
    assertThat(store.updateIfHeldBy("w1", waiting)).isTrue();
    assertThat(claim(T0.plusSeconds(5), "w1")).isEmpty();
    assertThat(claim(waiting.retryAt().orElseThrow(), "w1")).isPresent();
  }

  @Test
  void claimNextTakesTheOldestPendingJobAndMarksItRunning() {
    store.create(aPendingJob("late", "org-a", T0.plusSeconds(10)));
    store.create(aPendingJob("early", "org-b", T0));
    ExportJob claimed = claim(T0.plusSeconds(20), "w1").orElseThrow();
    assertThat(claimed.jobId()).isEqualTo("early");
    assertThat(claimed.status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(claimed.updatedAt()).isEqualTo(T0.plusSeconds(20));
    assertThat(store.get("org-b", "early").orElseThrow().status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(claim(T0.plusSeconds(21), "w1").orElseThrow().jobId()).isEqualTo("late");
    assertThat(claim(T0.plusSeconds(22), "w1")).isEmpty();
  }

  @Test
  void aRetriedJobCanBeClaimedAgain() {
    store.create(aPendingJob("j1", "org-a", T0));
    ExportJob failed = claim(T0, "w1").orElseThrow().fail(T0.plusSeconds(1), "w1",
        new ExportFailure(ExportFailureReason.OBJECT_STORE_UNAVAILABLE, "s3 down"), ExportRetryPolicy.DEFAULT);
    assertThat(store.updateIfHeldBy("w1", failed)).isTrue();
    ExportJob again = claim(failed.retryAt().orElseThrow(), "w1").orElseThrow();
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(again.failure()).isEqualTo(failed.failure());
    assertThat(again.status()).isEqualTo(ExportStatus.RUNNING);
  }

  @Test
  void concurrentClaimersGetEachPendingJobExactlyOnce() throws InterruptedException {
    int jobs = 400;
    for (int i = 0; i < jobs; i++) {
      store.create(aPendingJob(String.format("j%03d", i), "org-a", T0.plusMillis(i)));
    }
    List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    ConcurrentRun.run(8, worker -> {
      Optional<ExportJob> next;
      while ((next = claim(T0.plusSeconds(60), "w" + worker)).isPresent()) {
        claimed.add(next.get().jobId());
      }
    });
    assertThat(claimed).hasSize(jobs);
    assertThat(new HashSet<>(claimed)).hasSize(jobs);
  }

  @Test
  void listPagesNewestFirstAndStaysStableWhenJobsArrive() {
    for (int i = 0; i < 7; i++) {
      store.create(aPendingJob("j" + i, "org-a", T0.plusSeconds(i)));
    }
    store.create(aPendingJob("other", "org-b", T0.plusSeconds(100)));
    // Same createdAt: the jobId breaks the tie.
    store.create(aPendingJob("j6b", "org-a", T0.plusSeconds(6)));

    ExportJobPage first = store.list("org-a", Optional.empty(), 3);
    assertThat(first.jobs()).extracting(ExportJob::jobId).containsExactly("j6b", "j6", "j5");
    store.create(aPendingJob("newest", "org-a", T0.plusSeconds(50)));
    ExportJobPage second = store.list("org-a", first.nextCursor(), 3);
    assertThat(second.jobs()).extracting(ExportJob::jobId).containsExactly("j4", "j3", "j2");
    ExportJobPage third = store.list("org-a", second.nextCursor(), 3);
    assertThat(third.jobs()).extracting(ExportJob::jobId).containsExactly("j1", "j0");
    assertThat(third.nextCursor()).isEmpty();
  }

  @Test
  void listOfAnOrgWithoutJobsIsEmpty() {
    ExportJobPage page = store.list("org-z", Optional.empty(), 10);
    assertThat(page.jobs()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
  }
}
