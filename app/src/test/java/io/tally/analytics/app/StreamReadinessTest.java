package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.adapter.rabbitmq.ConsumerState;
import io.tally.analytics.adapter.rabbitmq.ConsumerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamReadinessTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-10-01T10:00:00Z"));
  private final AtomicReference<ConsumerState> state = new AtomicReference<>(ConsumerState.RUNNING);
  private final StreamReadiness readiness = new StreamReadiness(now::get, Duration.ofSeconds(30));

  private ConsumerStatus status() {
    return new ConsumerStatus(state.get(), OptionalLong.of(10), OptionalLong.of(15), OptionalLong.of(5), 0, 11, 2,
        0, 1);
  }

  @Test
  void downUntilTheConsumerIsAttached() {
    assertThatThrownBy(readiness::probe).isInstanceOf(StreamReadiness.StreamConsumerNotReady.class)
        .hasMessageContaining("not started");
    readiness.attach(this::status);
    assertThatCode(readiness::probe).doesNotThrowAnyException();
  }

  @Test
  void whileWaitingForTheBrokerTheReasonIsShownUntilTheConsumerStarts() {
    readiness.waiting("stream.unreachable");
    assertThatThrownBy(readiness::probe).hasMessage("the stream consumer has not started: stream.unreachable");
    assertThat(readiness.details()).containsExactly(entry("state", "not_started"), entry("reason", "stream.unreachable"));
    readiness.attach(this::status);
    assertThatCode(readiness::probe).doesNotThrowAnyException();
    assertThat(readiness.details()).doesNotContainKey("reason").containsEntry("state", "running");
  }

  @Test
  void aStandbyIsReadyAndNamesTheHolderWhileTheHolderIsJudgedByItsConsumer() {
    AtomicReference<StreamLeaseHolder.View> view = new AtomicReference<>(
        new StreamLeaseHolder.View("b", java.util.Optional.of("a"), false));
    readiness.lease(view::get);
    assertThatCode(readiness::probe).as("standby, no consumer attached").doesNotThrowAnyException();
    assertThat(readiness.details()).containsExactly(entry("instance", "b"), entry("leaseHolder", "a"),
        entry("state", "standby"));
    view.set(new StreamLeaseHolder.View("b", java.util.Optional.of("b"), true));
    assertThatThrownBy(readiness::probe).hasMessageContaining("not started");
    readiness.attach(this::status);
    state.set(ConsumerState.STOPPED);
    assertThatThrownBy(readiness::probe).hasMessageContaining("stopped");
    state.set(ConsumerState.RUNNING);
    assertThat(readiness.details()).containsEntry("leaseHolder", "b").containsEntry("state", "running");
  }

  @Test
  void upWhileRunningPausedOrStarting() {
    readiness.attach(this::status);
    for (ConsumerState s : new ConsumerState[] {ConsumerState.STARTING, ConsumerState.RUNNING, ConsumerState.PAUSED}) {
      state.set(s);
      assertThatCode(readiness::probe).as(s.name()).doesNotThrowAnyException();
    }
  }

  @Test
  void downWhenStopped() {
    readiness.attach(this::status);
    state.set(ConsumerState.STOPPED);
    assertThatThrownBy(readiness::probe).hasMessageContaining("stopped");
  }

  @Test
  void reconnectingIsDownOnlyAfterTheGracePeriodAndRecoveryResetsIt() {
    readiness.attach(this::status);
    state.set(ConsumerState.RECONNECTING);
    assertThatCode(readiness::probe).doesNotThrowAnyException();
    now.set(now.get().plusSeconds(30));
    assertThatCode(readiness::probe).doesNotThrowAnyException();
    now.set(now.get().plusSeconds(1));
    assertThatThrownBy(readiness::probe).hasMessageContaining("reconnecting for PT31S").hasMessageContaining("lag 5");

    state.set(ConsumerState.RUNNING);
    assertThatCode(readiness::probe).doesNotThrowAnyException();
    state.set(ConsumerState.RECONNECTING);
    now.set(now.get().plusSeconds(10));
    assertThatCode(readiness::probe).as("a new outage starts a new grace period").doesNotThrowAnyException();
  }

  @Test
  void detailsShowStateAndLagAgainstTheDatabaseOffset() {
    assertThat(readiness.details()).containsExactly(entry("state", "not_started"));
    readiness.attach(this::status);
    state.set(ConsumerState.PAUSED);
    assertThat(readiness.details()).containsExactly(entry("state", "paused"), entry("lag", 5L),
        entry("committedOffset", 10L), entry("streamLastOffset", 15L), entry("bufferedMessages", 0));
  }

  @Test
  void unknownFiguresAreLeftOutRatherThanGuessed() {
    readiness.attach(() -> new ConsumerStatus(ConsumerState.STARTING, OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), 3, 0, 0, 0, 0));
    assertThat(readiness.details()).containsExactly(entry("state", "starting"), entry("bufferedMessages", 3));
  }
}
