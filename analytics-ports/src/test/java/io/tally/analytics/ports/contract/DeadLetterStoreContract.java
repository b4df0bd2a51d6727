package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.DeadLetter;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.IngestSource;
import io.tally.analytics.ports.out.StreamPosition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link DeadLetterStore} must show. */
public abstract class DeadLetterStoreContract {
  /** @return a new, empty store (called once per test) */
  protected abstract DeadLetterStore newStore();

  protected DeadLetterStore store;

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static DeadLetter letter(String payload, IngestSource source) {
    return new DeadLetter("b-1", source, payload, List.of(
        new Violation("event.invalid_tokens", "inputTokens", "inputTokens must be between 0 and 10000000"),
        new Violation("event.invalid_status", "status", "status must be success or error")),
        Instant.parse("2026-10-01T00:00:00Z"));
  }

  @Test
  void keepsEveryLetterWithItsReasonsAndSource() {
    assertThat(store.count()).isZero();
    DeadLetter first = letter("{\"eventId\":\"x\",\"inputTokens\":-1}", IngestSource.http("req-1"));
    DeadLetter second = letter("not json at all", IngestSource.stream(new StreamPosition("s", "c", 12)));
    store.append(List.of(first));
    store.append(List.of(second));
    assertThat(store.count()).isEqualTo(2);
    assertThat(store.latest(10)).containsExactly(second, first);
    assertThat(store.latest(1)).containsExactly(second);
  }

  @Test
  void appendingNothingChangesNothing() {
    store.append(List.of());
    assertThat(store.count()).isZero();
    assertThat(store.latest(5)).isEmpty();
  }
}
