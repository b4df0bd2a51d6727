package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStreamLeasesIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();
  static final Duration LONG = Duration.ofMinutes(5);

  @Test
  void aFreeLeaseIsTakenAndHeldAgainstOthersUntilReleased() {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    assertThat(leases.holder("s1", "c")).isEmpty();
    assertThat(leases.acquireOrRenew("s1", "c", "a", LONG)).isTrue();
    assertThat(leases.acquireOrRenew("s1", "c", "b", LONG)).isFalse();
    assertThat(leases.acquireOrRenew("s1", "c", "a", LONG)).as("the holder renews").isTrue();
    assertThat(leases.holder("s1", "c")).contains("a");
    leases.release("s1", "c", "b");
    assertThat(leases.holder("s1", "c")).as("only the holder releases").contains("a");
    leases.release("s1", "c", "a");
    assertThat(leases.holder("s1", "c")).isEmpty();
    assertThat(leases.acquireOrRenew("s1", "c", "b", LONG)).as("released: free at once").isTrue();
    assertThat(leases.holder("s1", "c")).contains("b");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderCannotRenewIt() throws Exception {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    assertThat(leases.acquireOrRenew("s2", "c", "a", Duration.ofMillis(1))).isTrue();
    Thread.sleep(20); // past the one-millisecond lease, by the database's clock too
    assertThat(leases.holder("s2", "c")).isEmpty();
    assertThat(leases.acquireOrRenew("s2", "c", "b", LONG)).isTrue();
    assertThat(leases.acquireOrRenew("s2", "c", "a", LONG)).isFalse();
    assertThat(leases.holder("s2", "c")).contains("b");
  }

  @Test
  void leasesAreKeptPerStreamAndConsumer() {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    assertThat(leases.acquireOrRenew("s3", "c1", "a", LONG)).isTrue();
    assertThat(leases.acquireOrRenew("s3", "c2", "b", LONG)).isTrue();
    assertThat(leases.acquireOrRenew("s4", "c1", "b", LONG)).isTrue();
    assertThat(List.of(leases.holder("s3", "c1"), leases.holder("s3", "c2"), leases.holder("s4", "c1")))
        .containsExactly(Optional.of("a"), Optional.of("b"), Optional.of("b"));
  }

  @Test
  void instancesRacingForAFreeLeaseGetExactlyOneWinner() throws Exception {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> won = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String me = "i" + i;
      won.add(pool.submit(() -> {
        go.await();
        return leases.acquireOrRenew("s5", "c", me, LONG);
      }));
    }
    go.countDown();
    int winners = 0;
    for (Future<Boolean> f : won) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
    assertThat(leases.holder("s5", "c")).isPresent();
  }
}
