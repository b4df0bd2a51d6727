package io.tally.analytics.ports.contract;

import static io.tally.analytics.ports.testdata.ExportJobTestData.aPendingJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
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

  @Test
  void updatePersistsTransitions() {
    store.create(aPendingJob("j1", "org-a", T0));
    ExportJob running = store.claimNext(T0.plusSeconds(1)).orElseThrow();
    ExportJob done = running.succeed(T0.plusSeconds(2), "exports/org-a/j1.csv", 10, T0.plus(Duration.ofDays(7)));
    store.update(done);
    assertThat(store.get("org-a", "j1")).contains(done);
  }

  @Test
  void updatingAnUnknownJobFails() {
    assertThatThrownBy(() -> store.update(aPendingJob("ghost", "org-a", T0))).isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo(ExportJobStore.NOT_FOUND);
  }

  @Test
  void claimNextTakesTheOldestPendingJobAndMarksItRunning() {
    store.create(aPendingJob("late", "org-a", T0.plusSeconds(10)));
    store.create(aPendingJob("early", "org-b", T0));
    ExportJob claimed = store.claimNext(T0.plusSeconds(20)).orElseThrow();
    assertThat(claimed.jobId()).isEqualTo("early");
    assertThat(claimed.status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(claimed.updatedAt()).isEqualTo(T0.plusSeconds(20));
    assertThat(store.get("org-b", "early").orElseThrow().status()).isEqualTo(ExportStatus.RUNNING);
    assertThat(store.claimNext(T0.plusSeconds(21)).orElseThrow().jobId()).isEqualTo("late");
    assertThat(store.claimNext(T0.plusSeconds(22))).isEmpty();
  }

  @Test
  void aRetriedJobCanBeClaimedAgain() {
    store.create(aPendingJob("j1", "org-a", T0));
    store.update(store.claimNext(T0).orElseThrow().fail(T0.plusSeconds(1), "s3 down"));
    ExportJob again = store.claimNext(T0.plusSeconds(2)).orElseThrow();
    assertThat(again.attempts()).isEqualTo(1);
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
      while ((next = store.claimNext(T0.plusSeconds(60))).isPresent()) {
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
