package io.tally.analytics.core.percentile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import org.junit.jupiter.api.Test;

class LatencySketchTest {
  @Test
  void mergeDoesNotMutateItsInputs() {
    LatencySketch a = LatencySketch.of(10);
    LatencySketch b = LatencySketch.of(1000);
    LatencySketch ab = a.merge(b);
    assertThat(a.count()).isEqualTo(1);
    assertThat(b.count()).isEqualTo(1);
    assertThat(ab.count()).isEqualTo(2);
    assertThat(a.add(20).count()).isEqualTo(2);
    assertThat(a.count()).isEqualTo(1);
  }

  @Test
  void roundTripsThroughBytesWithEqualContent() {
    LatencySketch.Builder builder = LatencySketch.builder();
    for (long v = 0; v < 5000; v += 7) {
      builder.add(v);
    }
    LatencySketch sketch = builder.build();
    LatencySketch decoded = LatencySketch.fromBytes(sketch.toBytes());
    assertThat(decoded).isEqualTo(sketch);
    assertThat(decoded.hashCode()).isEqualTo(sketch.hashCode());
    assertThat(decoded.quantile(0.95)).isEqualTo(sketch.quantile(0.95));
    assertThat(sketch.toBytes().length).isLessThan(2_000);
    assertThat(LatencySketch.fromBytes(LatencySketch.empty().toBytes())).isEqualTo(LatencySketch.empty());
  }

  @Test
  void equalityIsByContentNotHistory() {
    LatencySketch oneByOne = LatencySketch.of(5).merge(LatencySketch.of(0)).merge(LatencySketch.of(300));
    LatencySketch built = LatencySketch.builder().add(300).add(5).add(0).build();
    assertThat(oneByOne).isEqualTo(built);
    assertThat(oneByOne).isNotEqualTo(LatencySketch.builder().add(300).add(5).add(1).build());
    assertThat(LatencySketch.of(0)).isNotEqualTo(LatencySketch.empty());
  }

  @Test
  void rejectsGarbageBytesAndEmptyQuantiles() {
    assertThatThrownBy(() -> LatencySketch.fromBytes(new byte[] {1, 2, 3})).isInstanceOf(TallyException.class);
    assertThatThrownBy(() -> LatencySketch.empty().quantile(0.5)).isInstanceOf(TallyException.class);
  }
}
