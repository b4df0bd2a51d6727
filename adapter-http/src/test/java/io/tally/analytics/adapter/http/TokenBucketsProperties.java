package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TokenBucketsProperties {
  /** Token-bucket bound: over any span T an actor gets at most burst + rate * T requests through. */
  @Property
  void admittedRequestsNeverExceedBurstPlusRefill(@ForAll @IntRange(min = 1, max = 600) int perMinute,
      @ForAll @Size(max = 300) List<@IntRange(max = 2_000) Integer> gapsMillis) {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(start);
    TokenBuckets limiter = new TokenBuckets(perMinute, now::get);
    long admitted = 0;
    for (int gap : gapsMillis) {
      now.set(now.get().plusMillis(gap));
      try {
        limiter.acquire("a");
        admitted++;
      } catch (RateLimitedException e) {
        assertThat(e.retryAfterSeconds()).isBetween(1L, 60L);
      }
    }
    long elapsedMillis = now.get().toEpochMilli() - start.toEpochMilli();
    assertThat(admitted).isLessThanOrEqualTo(perMinute + (long) perMinute * elapsedMillis / 60_000 + 1);
  }

  /** A denied actor that waits the announced Retry-After is admitted. */
  @Property
  void waitingRetryAfterIsEnough(@ForAll @IntRange(min = 1, max = 600) int perMinute) {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    TokenBuckets limiter = new TokenBuckets(perMinute, now::get);
    for (int i = 0; i < perMinute; i++) {
      limiter.acquire("a");
    }
    long retryAfter;
    try {
      limiter.acquire("a");
      throw new AssertionError("the burst should be used up");
    } catch (RateLimitedException e) {
      retryAfter = e.retryAfterSeconds();
    }
    now.set(now.get().plusSeconds(retryAfter));
    limiter.acquire("a");
  }
}
