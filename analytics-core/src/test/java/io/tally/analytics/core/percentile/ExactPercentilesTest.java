package io.tally.analytics.core.percentile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExactPercentilesTest {
  @Test
  void interpolatesLikePostgresPercentileCont() {
    long[] values = {40, 10, 30, 20};
    // rank = 0.5 * 3 = 1.5 -> between 20 and 30
    assertThat(ExactPercentiles.percentileCont(values, 0.5)).isEqualTo(25.0);
    assertThat(ExactPercentiles.percentileCont(values, 0.0)).isEqualTo(10.0);
    assertThat(ExactPercentiles.percentileCont(values, 1.0)).isEqualTo(40.0);
    // rank = 0.95 * 3 = 2.85 -> 30 + 0.85 * 10
    assertThat(ExactPercentiles.percentileCont(values, 0.95)).isCloseTo(38.5, within(1e-9));
    assertThat(ExactPercentiles.percentileCont(new long[] {7}, 0.99)).isEqualTo(7.0);
    assertThat(values).containsExactly(40, 10, 30, 20);
  }

  @Test
  void bracketNamesTheTwoSamples() {
    ExactPercentiles.Bracket b = ExactPercentiles.bracketSorted(new long[] {1, 2, 5, 9}, 0.5);
    assertThat(b.lower()).isEqualTo(2);
    assertThat(b.upper()).isEqualTo(5);
    assertThat(b.fraction()).isEqualTo(0.5);
  }
}
