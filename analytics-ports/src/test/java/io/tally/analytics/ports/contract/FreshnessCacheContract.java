package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.out.FreshnessCache;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link FreshnessCache} must show (expiry is configuration, not tested here). */
public abstract class FreshnessCacheContract {
  /** @return a new, empty cache (called once per test) */
  protected abstract FreshnessCache newCache();

  protected FreshnessCache cache;

  @BeforeEach
  void createCache() {
    cache = newCache();
  }

  @Test
  void aMissIsEmptyAndAPutIsReadBackPerOrg() {
    Instant at = Instant.parse("2026-10-01T00:00:00.123Z");
    assertThat(cache.get(UsageEvents.ORG_A)).isEmpty();
    cache.put(UsageEvents.ORG_A, at);
    assertThat(cache.get(UsageEvents.ORG_A)).contains(at);
    assertThat(cache.get(UsageEvents.ORG_B)).isEmpty();
    cache.put(UsageEvents.ORG_A, at.plusSeconds(5));
    assertThat(cache.get(UsageEvents.ORG_A)).contains(at.plusSeconds(5));
  }
}
