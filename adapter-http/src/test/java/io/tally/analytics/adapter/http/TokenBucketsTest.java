package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final TokenBuckets limiter = new TokenBuckets(60, now::get);

  @Test
  void burstUpToTheBudgetThen429WithRetryAfter() {
    for (int i = 0; i < 60; i++) {
      limiter.acquire("alice");
    }
    assertThatThrownBy(() -> limiter.acquire("alice"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("rate_limited");
          assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
  }

  @Test
  void tokensComeBackAtTheSustainedRate() {
    for (int i = 0; i < 60; i++) {
      limiter.acquire("alice");
    }
    now.set(now.get().plus(Duration.ofMillis(999)));
    assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(RateLimitedException.class);
    now.set(now.get().plus(Duration.ofMillis(1)));
    assertThatCode(() -> limiter.acquire("alice")).doesNotThrowAnyException();
  }

  @Test
  void retryAfterReflectsTheDeficitForSlowRates() {
    TokenBuckets slow = new TokenBuckets(2, now::get);
    slow.acquire("a");
    slow.acquire("a");
    assertThatThrownBy(() -> slow.acquire("a"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
  }

  @Test
  void actorsHaveSeparateBuckets() {
    for (int i = 0; i < 60; i++) {
      limiter.acquire("alice");
    }
    assertThatCode(() -> limiter.acquire("bob")).doesNotThrowAnyException();
  }

  @Test
  void refillNeverExceedsTheBurst() {
    now.set(now.get().plus(Duration.ofDays(365)));
    for (int i = 0; i < 60; i++) {
      limiter.acquire("alice");
    }
    assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void zeroDisablesLimiting() {
    TokenBuckets off = new TokenBuckets(0, now::get);
    for (int i = 0; i < 10_000; i++) {
      off.acquire("alice");
    }
  }
}
