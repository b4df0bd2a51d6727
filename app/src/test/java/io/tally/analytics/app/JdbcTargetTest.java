package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcTargetTest {
  @Test
  void jdbcUrlsPassThrough() {
    JdbcTarget t = JdbcTarget.of(new ServiceUrl("jdbc:postgresql://db:5432/tally?user=u"));
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/tally?user=u");
    assertThat(t.user()).isEmpty();
    assertThat(t.password()).isEmpty();
  }

  @Test
  void libpqUrlsAreSplitIntoUrlUserAndDecodedPassword() {
    JdbcTarget t = JdbcTarget.of(new ServiceUrl("postgres://tally:p%40ss%3Aword@db.internal:6543/analytics?sslmode=require"));
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/analytics?sslmode=require");
    assertThat(t.user()).contains("tally");
    assertThat(t.password().orElseThrow().value()).isEqualTo("p@ss:word");
    assertThat(t.toString()).doesNotContain("p@ss");
  }

  @Test
  void missingPortAndDatabaseFallBackToDriverDefaults() {
    JdbcTarget t = JdbcTarget.of(new ServiceUrl("postgresql://postgres@localhost"));
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/postgres");
    assertThat(t.user()).contains("postgres");
  }

  @Test
  void aUrlWithoutHostIsAConfigurationError() {
    assertThatThrownBy(() -> JdbcTarget.of(new ServiceUrl("postgres:///nohost")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_URL");
  }
}
