package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.out.DeadLetterStore;
import io.tally.analytics.ports.out.IngestionBatch;
import io.tally.analytics.ports.out.UsageEventStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link DeadLetterStore} must show. Letters only come in with their batch, so the suite writes
 * them through the {@link UsageEventStore} over the same data.
 */
public abstract class DeadLetterStoreContract {
  /**
   * @param writer appends batches, with their dead letters
   * @param store reads what {@code writer} appended
   */
  public record Stores(UsageEventStore writer, DeadLetterStore store) {}

  /** @return new, empty stores over one set of data (called once per test) */
  protected abstract Stores newStores();

  protected UsageEventStore writer;
  protected DeadLetterStore store;

  @BeforeEach
  void createStore() {
    Stores stores = newStores();
    writer = stores.writer();
    store = stores.store();
  }

  private static DeadLetter letter(String payload, IngestSource source) {
    return new DeadLetter("b-1", source, payload, List.of(
        new Violation("event.invalid_tokens", "inputTokens", "inputTokens must be between 0 and 10000000"),
        new Violation("event.invalid_status", "status", "status must be success or error")),
        Instant.parse("2026-10-01T00:00:00Z"));
  }

  private void append(IngestSource batchSource, DeadLetter... letters) {
    writer.append(new IngestionBatch("b-1", batchSource, List.of(), List.of(letters)));
  }

  @Test
  void keepsEveryLetterWithItsReasonsAndSource() {
    assertThat(store.count()).isZero();
    DeadLetter first = letter("{\"eventId\":\"x\",\"inputTokens\":-1}", IngestSource.http("req-1"));
    DeadLetter second = letter("not json at all", IngestSource.stream(new StreamPosition("s", "c", 12)));
    append(IngestSource.http("req-1"), first);
    append(IngestSource.stream(new StreamPosition("s", "c", 20)), second);
    assertThat(store.count()).isEqualTo(2);
    assertThat(store.latest(10)).containsExactly(second, first);
    assertThat(store.latest(1)).containsExactly(second);
    assertThat(second.messageOffset()).as("the message's own offset, not the batch's last").contains(12L);
    assertThat(first.messageOffset()).isEqualTo(Optional.empty());
  }

  @Test
  void aBatchWithoutLettersAddsNone() {
    append(IngestSource.direct());
    assertThat(store.count()).isZero();
    assertThat(store.latest(5)).isEmpty();
  }

  @Test
  void aLimitMustBePositive() {
    assertThatThrownBy(() -> store.latest(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
