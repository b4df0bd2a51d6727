package io.tally.analytics.core.percentile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LatencySketchProperties {

  @Provide
  Arbitrary<List<Long>> samples() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 100), Arbitraries.longs().between(0, 60_000),
        Arbitraries.longs().between(0, 3_600_000)).list().ofMinSize(1).ofMaxSize(400);
  }

  @Provide
  Arbitrary<Double> quantiles() {
    return Arbitraries.oneOf(Arbitraries.of(0.0, 0.5, 0.95, 0.99, 1.0), Arbitraries.doubles().between(0, 1));
  }

  @Property(tries = 300)
  void quantileLiesWithinTheBracketOfPercentileCont(@ForAll("samples") List<Long> samples,
      @ForAll("quantiles") double q) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    LatencySketch.Builder builder = LatencySketch.builder();
    samples.forEach(builder::add);
    double estimate = builder.build().quantile(q);
    ExactPercentiles.Bracket bracket = ExactPercentiles.bracketSorted(sorted, q);
    double alpha = LatencySketch.RELATIVE_ACCURACY;
    assertThat(estimate).isBetween(bracket.lower() * (1 - alpha), bracket.upper() * (1 + alpha));
  }

  @Property(tries = 200)
  void mergedSketchEqualsOneBuiltFromAllSamples(@ForAll("samples") List<Long> a, @ForAll("samples") List<Long> b) {
    LatencySketch.Builder all = LatencySketch.builder();
    LatencySketch.Builder left = LatencySketch.builder();
    LatencySketch.Builder right = LatencySketch.builder();
    a.forEach(v -> { all.add(v); left.add(v); });
    b.forEach(v -> { all.add(v); right.add(v); });
    LatencySketch merged = left.build().merge(right.build());
    LatencySketch whole = all.build();
    assertThat(merged).isEqualTo(whole);
    assertThat(LatencySketch.fromBytes(merged.toBytes())).isEqualTo(whole);
    assertThat(Arrays.equals(new double[] {merged.quantile(0.99)}, new double[] {whole.quantile(0.99)})).isTrue();
  }

  @Property(tries = 200)
  void countedSamplesBuildTheSameSketchAsOneByOne(@ForAll("samples") List<Long> samples) {
    LatencySketch.Builder oneByOne = LatencySketch.builder();
    samples.forEach(oneByOne::add);
    LatencySketch.Builder counted = LatencySketch.builder();
    samples.stream().collect(Collectors.groupingBy(v -> v, TreeMap::new,
        Collectors.counting())).forEach(counted::add);
    LatencySketch expected = oneByOne.build();
    LatencySketch actual = counted.build();
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.toBytes()).isEqualTo(expected.toBytes());
    assertThat(actual.count()).isEqualTo(samples.size());
  }
}
