package io.tally.analytics.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketWidthTest {
  @Test
  void alignsToUtc() {
    Instant at = Instant.parse("2026-10-01T17:47:55.869Z");
    assertThat(BucketWidth.bucketStart(at, BucketWidth.HOUR)).isEqualTo(Instant.parse("2026-10-01T17:00:00Z"));
    assertThat(BucketWidth.bucketStart(at, BucketWidth.DAY)).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
    assertThat(BucketWidth.FIFTEEN_MINUTES.bucketStart(at)).isEqualTo(Instant.parse("2026-10-01T17:45:00Z"));
    assertThat(BucketWidth.HOUR.bucketStart(Instant.parse("1969-12-31T23:30:00Z")))
        .isEqualTo(Instant.parse("1969-12-31T23:00:00Z"));
  }

  @Test
  void mustDivideADay() {
    assertThatThrownBy(() -> new BucketWidth(Duration.ofMinutes(7))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketWidth(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketWidth(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(BucketWidth.FIFTEEN_MINUTES.divides(BucketWidth.HOUR)).isTrue();
    assertThat(BucketWidth.DAY.divides(BucketWidth.HOUR)).isFalse();
  }
}
