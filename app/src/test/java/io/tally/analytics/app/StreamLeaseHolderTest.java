package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.rabbitmq.StreamUnreachableException;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.ports.out.StreamLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lease decisions, one {@code tick()} at a time (no thread, no clock): when to start and stop consuming. */
class StreamLeaseHolderTest {
  private final FakeLeases leases = new FakeLeases();
  private final List<StreamStarter> starters = new ArrayList<>();
  private final List<StreamLeaseToken> startedUnder = new ArrayList<>();
  // Each starter finds the broker unreachable and would retry an hour later: no real consumer, nothing timed.
  private final Function<StreamLeaseToken, StreamStarter> newStarter = token -> {
    startedUnder.add(token);
    StreamStarter s = new StreamStarter(() -> {
      throw new StreamUnreachableException("no broker in a unit test", null);
    }, c -> { }, reason -> { }, Duration.ofHours(1), Duration.ofHours(1));
    starters.add(s);
    return s;
  };
  private final StreamLeaseHolder holder = new StreamLeaseHolder(leases, "s", "c",
      new TallyConfig.StreamLease("a", Duration.ofSeconds(5)), newStarter);

  @AfterEach
  void close() {
    holder.close();
  }

  @Test
  void takesTheLeaseStartsOneConsumerAndKeepsItWhileRenewing() {
    holder.tick();
    holder.tick();
    assertThat(starters).hasSize(1);
    assertThat(holder.view()).isEqualTo(new StreamLeaseHolder.View("a", Optional.of("a"), true));
    assertThat(leases.calls).as("the renewal presents the token the first try got")
        .containsExactly("a:none:5000", "a:1:5000");
    assertThat(startedUnder).containsExactly(new StreamLeaseToken("s", "c", "a", 1));
  }

  @Test
  void aLeaseTakenAgainUnderANewEpochRestartsTheConsumerWithTheNewToken() {
    holder.tick();
    leases.epoch = 3; // it lapsed to another instance and was taken back: the old consumer's batches are refused
    holder.tick();
    assertThat(starters).hasSize(2);
    assertThat(startedUnder).extracting(StreamLeaseToken::epoch).containsExactly(1L, 3L);
    assertThat(holder.view().active()).isTrue();
  }

  @Test
  void aStandbyStartsNothingAndNamesTheHolder() {
    leases.grant = false;
    leases.current = Optional.of("b");
    holder.tick();
    assertThat(starters).isEmpty();
    assertThat(holder.view()).isEqualTo(new StreamLeaseHolder.View("a", Optional.of("b"), false));
  }

  @Test
  void aRefusedRenewalStopsConsumingAndRetakingStartsAFreshConsumer() {
    holder.tick();
    leases.grant = false;
    leases.current = Optional.of("b");
    holder.tick();
    assertThat(holder.view().active()).isFalse();
    assertThat(holder.consumer()).isEmpty();
    leases.grant = true;
    holder.tick();
    assertThat(starters).as("the first starter was closed for good; a new one runs").hasSize(2);
    assertThat(holder.view().active()).isTrue();
  }

  @Test
  void anUnreachableDatabaseKeepsTheConsumerAndTheLease() {
    holder.tick();
    leases.fail = true;
    holder.tick();
    holder.tick();
    assertThat(starters).hasSize(1);
    assertThat(holder.view().active()).isTrue();
    leases.fail = false;
    holder.tick();
    assertThat(starters).hasSize(1);
  }

  @Test
  void closeReleasesTheLeaseOnlyWhenHeld() {
    leases.grant = false;
    holder.tick();
    holder.close();
    assertThat(leases.released).isEmpty();

    StreamLeaseHolder holding = new StreamLeaseHolder(leases, "s", "c",
        new TallyConfig.StreamLease("a", Duration.ofSeconds(5)), newStarter);
    leases.grant = true;
    holding.tick();
    holding.close();
    assertThat(leases.released).containsExactly("s/c/a/1");
  }

  private static final class FakeLeases implements StreamLeases {
    boolean grant = true;
    boolean fail;
    long epoch = 1;
    Optional<String> current = Optional.empty();
    final List<String> calls = new ArrayList<>();
    final List<String> released = new ArrayList<>();

    @Override
    public Optional<StreamLeaseToken> acquireOrRenew(String stream, String consumer, String holder,
        Optional<StreamLeaseToken> held, Duration duration) {
      if (fail) {
        throw new IllegalStateException("database down");
      }
      calls.add(holder + ":" + held.map(t -> Long.toString(t.epoch())).orElse("none") + ":" + duration.toMillis());
      return grant ? Optional.of(new StreamLeaseToken(stream, consumer, holder, epoch)) : Optional.empty();
    }

    @Override
    public Optional<String> holder(String stream, String consumer) {
      return current;
    }

    @Override
    public void release(StreamLeaseToken held) {
      released.add(held.stream() + "/" + held.consumer() + "/" + held.holder() + "/" + held.epoch());
    }
  }
}
