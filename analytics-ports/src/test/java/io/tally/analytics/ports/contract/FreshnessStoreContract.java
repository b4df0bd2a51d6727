package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.out.FreshnessStore;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link FreshnessStore} must show. */
public abstract class FreshnessStoreContract {
  /** @return a new, empty store (called once per test) */
  protected abstract FreshnessStore newStore();

  protected FreshnessStore store;

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void watermarksArePerOrgAndOnlyMoveForward() {
    Instant t1 = Instant.parse("2026-10-01T00:00:00Z");
    Instant t2 = Instant.parse("2026-10-01T00:00:05Z");
    assertThat(store.lastRollupAt(UsageEvents.ORG_A)).isEmpty();
    store.advance(UsageEvents.ORG_A, t1);
    assertThat(store.lastRollupAt(UsageEvents.ORG_A)).contains(t1);
    store.advance(UsageEvents.ORG_A, t2);
    assertThat(store.lastRollupAt(UsageEvents.ORG_A)).contains(t2);
    store.advance(UsageEvents.ORG_A, t1);
    assertThat(store.lastRollupAt(UsageEvents.ORG_A)).contains(t2);
    assertThat(store.lastRollupAt(UsageEvents.ORG_B)).isEmpty();
  }

  @Test
  void advanceCleanMovesTheRefreshedOrgsForwardOnly() {
    Instant t1 = Instant.parse("2026-10-01T00:00:00Z");
    Instant t2 = Instant.parse("2026-10-01T00:00:05Z");
    store.advance(UsageEvents.ORG_A, t2);
    store.advanceClean(Set.of(UsageEvents.ORG_A, UsageEvents.ORG_B), t1);
    assertThat(store.lastRollupAt(UsageEvents.ORG_A)).contains(t2);
    assertThat(store.lastRollupAt(UsageEvents.ORG_B)).contains(t1);
    store.advanceClean(Set.of(), t2);
    assertThat(store.lastRollupAt(UsageEvents.ORG_B)).as("clean: complete as of the last step").contains(t2);
  }
}
