package io.tally.analytics.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InstantBoundsTest {
  @ParameterizedTest
  @ValueSource(strings = {"0001-01-01T00:00:00Z", "2026-10-01T00:00:00Z", "2026-10-01T02:00:00+02:00",
      "9999-12-31T23:59:59.999999999Z", "1600-01-01T00:00:00Z"})
  void rfc3339InstantsInYears1To9999Parse(String text) {
    assertThat(InstantBounds.parse(text)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
      "-0001-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
      "2026-10-01T00:00:00", "2026-10-01", "1e400", "", " 2026-10-01T00:00:00Z", "2026-13-01T00:00:00Z"})
  void anythingElseDoesNot(String text) {
    assertThat(InstantBounds.parse(text)).isEmpty();
  }

  @Test
  void requireThrowsTheGivenKindAndCode() {
    assertThat(InstantBounds.require(Instant.EPOCH, "start", TallyException.Kind.MALFORMED, "x.code")).isEqualTo(Instant.EPOCH);
    assertThatThrownBy(() -> InstantBounds.require(Instant.parse("+10000-01-01T00:00:00Z"), "start", TallyException.Kind.MALFORMED,
        "x.code")).isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("x.code");
          assertThat(e.kind()).isEqualTo(TallyException.Kind.MALFORMED);
        })
        .hasMessageContaining("start must be an RFC 3339 timestamp");
    assertThat(InstantBounds.parse(null)).isEmpty();
  }
}
