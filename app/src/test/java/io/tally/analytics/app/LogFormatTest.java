package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
  @Test
  void aTerminalGetsTextAndAnythingElseJsonUnlessConfigured() {
    assertThat(LogFormat.choose(null, true)).isEqualTo("TEXT");
    assertThat(LogFormat.choose(null, false)).isEqualTo("JSON");
    assertThat(LogFormat.choose("json", true)).isEqualTo("JSON");
    assertThat(LogFormat.choose(" TEXT ", false)).isEqualTo("TEXT");
  }

  @Test
  void aBadValueIsAConfigurationErrorNamingTheVariable() {
    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
        () -> TallyConfig.fromEnvironment(Map.of("LOG_FORMAT", "xml")));
    assertThat(e.variable()).isEqualTo("LOG_FORMAT");
    assertThat(LogFormat.choose("xml", true)).as("logging still starts, as JSON").isEqualTo("JSON");
  }
}
