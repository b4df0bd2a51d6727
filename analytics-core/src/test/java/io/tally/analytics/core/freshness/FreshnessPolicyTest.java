package io.tally.analytics.core.freshness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreshnessPolicyTest {
  private final FreshnessPolicy policy = new FreshnessPolicy(Duration.ofSeconds(600));
  private final Instant now = Instant.parse("2026-11-01T00:10:00Z");

  @Test
  void freshWithinTheLimitStaleBeyond() {
    assertThat(policy.evaluate(Optional.of(now.minusSeconds(600)), now))
        .isEqualTo(new Freshness(Optional.of(now.minusSeconds(600)), 600, FreshnessStatus.FRESH));
    assertThat(policy.evaluate(Optional.of(now.minusSeconds(601)), now).status()).isEqualTo(FreshnessStatus.STALE);
    assertThat(policy.evaluate(Optional.of(now.plusSeconds(5)), now).lagSeconds()).isZero();
  }

  @Test
  void neverRolledUpIsStale() {
    Freshness f = policy.evaluate(Optional.empty(), now);
    assertThat(f.status()).isEqualTo(FreshnessStatus.STALE);
    assertThat(f.lastRollupAt()).isEmpty();
    assertThat(FreshnessStatus.STALE.wireName()).isEqualTo("stale");
  }
}
