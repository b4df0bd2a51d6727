package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class OversizeBodiesTest {
  @Test
  void readsTheRestOfABodyWithinTheBudget() {
    ByteArrayInputStream body = new ByteArrayInputStream(new byte[3_000]);
    OversizeBodies.drain(body, 3_000, 1_000);
    assertThat(body.available()).isZero();
  }

  @Test
  void leavesADeclaredBodyBeyondTheBudgetAlone() {
    ByteArrayInputStream body = new ByteArrayInputStream(new byte[5_000]);
    OversizeBodies.drain(body, 5_000, 1_000);
    assertThat(body.available()).isEqualTo(5_000);
  }

  @Test
  void stopsReadingAChunkedBodyOnceTheBudgetIsSpent() {
    ByteArrayInputStream body = new ByteArrayInputStream(new byte[1_000_000]);
    OversizeBodies.drain(body, -1, 10_000);
    assertThat(body.available()).isPositive().isLessThan(1_000_000);
  }
}
