package io.tally.analytics.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;

class WatermarkEncodingProperties {
  @Provide
  Arbitrary<Instant> instants() {
    return Combinators.combine(
            Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
  }

  @Property
  void everyInstantRoundTripsExactly(@ForAll("instants") Instant at) {
    assertThat(WatermarkEncoding.decode(WatermarkEncoding.encode(at))).contains(at);
  }

  @Property
  void theTwoIntegersTheLuaScriptComparesOrderLikeTheInstants(@ForAll("instants") Instant a,
      @ForAll("instants") Instant b) {
    String[] ea = WatermarkEncoding.encode(a).split("\\.");
    String[] eb = WatermarkEncoding.encode(b).split("\\.");
    int bySeconds = Long.compare(Long.parseLong(ea[0]), Long.parseLong(eb[0]));
    int byParts = bySeconds != 0 ? bySeconds : Long.compare(Long.parseLong(ea[1]), Long.parseLong(eb[1]));
    assertThat(Integer.signum(byParts)).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property
  void textOutsideTheFormatIsNoWatermark(@ForAll @AlphaChars String text) {
    assertThat(WatermarkEncoding.decode(text)).isEmpty();
  }

  @Property(tries = 1)
  void nearMissesAreRejected() {
    assertThat(WatermarkEncoding.decode("1790812800.123")).isEmpty();
    assertThat(WatermarkEncoding.decode("1790812800")).isEmpty();
    assertThat(WatermarkEncoding.decode("2026-10-01T00:00:00Z")).isEmpty();
    assertThat(WatermarkEncoding.decode("99999999999999999.000000000")).isEmpty();
    assertThat(WatermarkEncoding.decode("1790812800.123000000")).contains(Instant.parse("2026-10-01T00:00:00.123Z"));
  }
}
