package io.tally.analytics.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.ports.contract.FreshnessCacheContract;
import io.tally.analytics.ports.out.FreshnessCache;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalFreshnessCacheTest extends FreshnessCacheContract {
  @Override
  protected FreshnessCache newCache() {
    return new LocalFreshnessCache(Duration.ofSeconds(5), now::get);
  }

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-01T00:00:00Z"));
  final UUID org = UUID.fromString("00000000-0000-0000-0000-000000000001");

  @Test
  void remembersAWatermarkForTheTtlOnly() {
    LocalFreshnessCache cache = new LocalFreshnessCache(Duration.ofSeconds(5), now::get);
    Instant mark = Instant.parse("2026-10-31T23:59:00Z");
    assertThat(cache.get(org)).isEmpty();
    cache.put(org, mark);
    now.set(now.get().plusSeconds(4));
    assertThat(cache.get(org)).contains(mark);
    now.set(now.get().plusSeconds(1));
    assertThat(cache.get(org)).isEmpty();
  }

  @Test
  void aZeroTtlCachesNothing() {
    LocalFreshnessCache cache = new LocalFreshnessCache(Duration.ZERO, now::get);
    cache.put(org, now.get());
    assertThat(cache.get(org)).isEmpty();
  }
}
