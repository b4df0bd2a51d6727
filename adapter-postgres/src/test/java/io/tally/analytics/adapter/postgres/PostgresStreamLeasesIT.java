package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.StreamLeaseToken;
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
  static final Optional<StreamLeaseToken> NONE = Optional.empty();

  @Test
  void aFreeLeaseIsTakenAndHeldAgainstOthersUntilReleased() {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    assertThat(leases.holder("s1", "c")).isEmpty();
    Optional<StreamLeaseToken> a = leases.acquireOrRenew("s1", "c", "a", NONE, LONG);
    assertThat(a).map(StreamLeaseToken::holder).contains("a");
    assertThat(leases.acquireOrRenew("s1", "c", "b", NONE, LONG)).isEmpty();
    assertThat(leases.acquireOrRenew("s1", "c", "a", a, LONG)).as("the holder renews, same epoch").isEqualTo(a);
    assertThat(leases.holder("s1", "c")).contains("a");
    leases.release(new StreamLeaseToken("s1", "c", "b", 1));
    assertThat(leases.holder("s1", "c")).as("only the holder releases").contains("a");
    leases.release(a.orElseThrow());
    assertThat(leases.holder("s1", "c")).isEmpty();
    assertThat(leases.acquireOrRenew("s1", "c", "b", NONE, LONG)).as("released: free at once, a new epoch")
        .hasValueSatisfying(b -> assertThat(b.epoch()).isGreaterThan(a.orElseThrow().epoch()));
    assertThat(leases.holder("s1", "c")).contains("b");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderCannotRenewIt() throws Exception {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    Optional<StreamLeaseToken> a = leases.acquireOrRenew("s2", "c", "a", NONE, Duration.ofMillis(1));
    assertThat(a).isPresent();
    Thread.sleep(20); // past the one-millisecond lease, by the database's clock too
    assertThat(leases.holder("s2", "c")).isEmpty();
    assertThat(leases.acquireOrRenew("s2", "c", "b", NONE, LONG)).map(StreamLeaseToken::holder).contains("b");
    assertThat(leases.acquireOrRenew("s2", "c", "a", a, LONG)).isEmpty();
    assertThat(leases.holder("s2", "c")).contains("b");
  }

  @Test
  void anExpiredLeaseNobodyTookIsRenewedUnderTheSameEpoch() throws Exception {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    Optional<StreamLeaseToken> a = leases.acquireOrRenew("s6", "c", "a", NONE, Duration.ofMillis(1));
    Thread.sleep(20);
    assertThat(leases.acquireOrRenew("s6", "c", "a", a, LONG)).isEqualTo(a);
  }

  @Test
  void aSecondProcessWithTheSameInstanceIdIsAStandbyUntilTheLeaseExpires() throws Exception {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    Optional<StreamLeaseToken> first = leases.acquireOrRenew("s7", "c", "same", NONE, Duration.ofMillis(300));
    assertThat(leases.acquireOrRenew("s7", "c", "same", NONE, LONG)).as("no token: cannot renew the other's lease")
        .isEmpty();
    Thread.sleep(400);
    Optional<StreamLeaseToken> second = leases.acquireOrRenew("s7", "c", "same", NONE, LONG);
    assertThat(second).hasValueSatisfying(t -> assertThat(t.epoch()).isNotEqualTo(first.orElseThrow().epoch()));
    assertThat(leases.acquireOrRenew("s7", "c", "same", first, LONG)).as("the stalled first one is fenced off")
        .isEmpty();
  }

  @Test
  void aDeletedLeaseTakenAfreshNeverRepeatsAnEpoch() {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    StreamLeaseToken first = leases.acquireOrRenew("s8", "c", "a", NONE, LONG).orElseThrow();
    db.jdbi().useHandle(h -> h.execute("DELETE FROM analytics.stream_leases WHERE stream = 's8'"));
    StreamLeaseToken again = leases.acquireOrRenew("s8", "c", "a", NONE, LONG).orElseThrow();
    assertThat(again.epoch()).isGreaterThan(first.epoch());
    assertThat(leases.acquireOrRenew("s8", "c", "a", Optional.of(first), LONG)).as("the old token renews nothing")
        .isEmpty();
  }

  @Test
  void leasesAreKeptPerStreamAndConsumer() {
    PostgresStreamLeases leases = new PostgresStreamLeases(db.jdbi());
    assertThat(leases.acquireOrRenew("s3", "c1", "a", NONE, LONG)).isPresent();
    assertThat(leases.acquireOrRenew("s3", "c2", "b", NONE, LONG)).isPresent();
    assertThat(leases.acquireOrRenew("s4", "c1", "b", NONE, LONG)).isPresent();
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
      // Half of them share an id, as two processes started with the same INSTANCE_ID would.
      String me = i % 2 == 0 ? "same" : "i" + i;
      won.add(pool.submit(() -> {
        go.await();
        return leases.acquireOrRenew("s5", "c", me, NONE, LONG).isPresent();
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
