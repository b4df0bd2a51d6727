package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesGcmSecretSealerTest {
  private static byte[] key() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  private final byte[] current = key();
  private final byte[] old = key();

  @Test
  void sealsOpensAndNeverShowsThePlaintext() {
    AesGcmSecretSealer sealer = new AesGcmSecretSealer(List.of(current));
    String sealed = sealer.seal("s3cr3t-key", "analytics_store|t1|staging|key");
    assertThat(sealed).startsWith("tally-sealed:v1:").doesNotContain("s3cr3t");
    assertThat(sealer.seal("s3cr3t-key", "ctx")).isNotEqualTo(sealer.seal("s3cr3t-key", "ctx"));
    assertThat(sealer.open(sealed, "analytics_store|t1|staging|key")).isEqualTo("s3cr3t-key");
    assertThat(sealer.needsResealing(sealed)).isFalse();
  }

  @Test
  void aValueMovedToAnotherContextOrTamperedWithDoesNotOpen() {
    AesGcmSecretSealer sealer = new AesGcmSecretSealer(List.of(current));
    String sealed = sealer.seal("s3cr3t", "analytics_store|t1|staging|key");
    assertThatThrownBy(() -> sealer.open(sealed, "analytics_store|t2|staging|key"))
        .isInstanceOf(TallyException.class).hasMessageNotContaining("s3cr3t");
    String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThatThrownBy(() -> sealer.open(tampered, "analytics_store|t1|staging|key"))
        .isInstanceOf(TallyException.class);
  }

  @Test
  void rotationOpensOldValuesAndAsksForTheirResealing() {
    String underOld = new AesGcmSecretSealer(List.of(old)).seal("v", "c");
    AesGcmSecretSealer rotated = new AesGcmSecretSealer(List.of(current, old));
    assertThat(rotated.open(underOld, "c")).isEqualTo("v");
    assertThat(rotated.needsResealing(underOld)).isTrue();
    assertThat(rotated.needsResealing("clear text")).isTrue();
    assertThat(rotated.open("clear text", "c")).isEqualTo("clear text");
    assertThatThrownBy(() -> new AesGcmSecretSealer(List.of(current)).open(underOld, "c"))
        .isInstanceOf(TallyException.class).hasMessageContaining("ROUTE_SECRETS_PREVIOUS_KEYS");
  }

  @Test
  void outsideDevelopmentTheServerRefusesToStartWithoutAKey(@TempDir Path dir) {
    for (String env : List.of("staging", "production")) {
      TallyConfig config = TallyConfig.fromEnvironment(Map.of("ENVIRONMENT", env, "DATA_DIR", dir.toString()));
      assertThatThrownBy(() -> RouteSecretKeys.resolve(config)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("ROUTE_SECRETS_KEY");
    }
    assertThat(dir.resolve(RouteSecretKeys.DEV_KEY_FILE)).doesNotExist();
    String k = Base64.getEncoder().encodeToString(current);
    TallyConfig production = TallyConfig.fromEnvironment(Map.of("ENVIRONMENT", "production", "ROUTE_SECRETS_KEY", k));
    assertThat(RouteSecretKeys.resolve(production).get(0)).isEqualTo(current);
    assertThat(production.toString()).doesNotContain(k);
  }

  @Test
  void aMalformedKeyIsAConfigErrorThatDoesNotEchoIt() {
    assertThatThrownBy(() -> TallyConfig.fromEnvironment(Map.of("ROUTE_SECRETS_KEY", "too-short-secret")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").hasMessageNotContaining("too-short");
    assertThatThrownBy(() -> TallyConfig.fromEnvironment(Map.of("ROUTE_SECRETS_PREVIOUS_KEYS",
        Base64.getEncoder().encodeToString(old)))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ROUTE_SECRETS_KEY");
  }

  @Test
  void developmentGeneratesOneKeyAndReusesIt(@TempDir Path dir) {
    TallyConfig dev = TallyConfig.fromEnvironment(Map.of("DATA_DIR", dir.toString()));
    byte[] first = RouteSecretKeys.resolve(dev).get(0);
    assertThat(RouteSecretKeys.resolve(dev).get(0)).isEqualTo(first);
  }
}
