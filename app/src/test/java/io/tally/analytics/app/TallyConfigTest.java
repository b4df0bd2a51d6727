package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.core.usage.EventTimeWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TallyConfigTest {
  static TallyConfig config(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return TallyConfig.fromEnvironment(env);
  }

  static ConfigException failure(String... keyValues) {
    try {
      config(keyValues);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaults() {
    TallyConfig c = config();
    assertThat(c.environment()).isEqualTo("development");
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().maxBodyBytes()).isEqualTo(5L * 1024 * 1024);
    assertThat(c.http().maxBatchEvents()).isEqualTo(5000);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.auth().mode()).isEqualTo(AuthMode.TRUSTED_HEADERS);
    assertThat(c.services().databaseUrl()).isEmpty();
    assertThat(c.services().rabbitmqStream()).isEqualTo("analytics.usage.v1");
    assertThat(c.timings().exportSignedUrlTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(c.timings().rollupInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.logLevel()).isEqualTo("INFO");
  }

  @Test
  void theStreamLeaseNamesThisInstanceAndIsBounded() {
    TallyConfig.StreamLease defaults = config().operations().streamLease();
    assertThat(defaults.duration()).isEqualTo(Duration.ofSeconds(4));
    assertThat(defaults.instanceId()).endsWith("-" + ProcessHandle.current().pid()).matches("[A-Za-z0-9._:@-]+");
    TallyConfig.StreamLease set = config("INSTANCE_ID", "tally-2.eu", "STREAM_LEASE_DURATION", "10s").operations()
        .streamLease();
    assertThat(set).isEqualTo(new TallyConfig.StreamLease("tally-2.eu", Duration.ofSeconds(10)));
    assertThat(failure("INSTANCE_ID", "two words").variable()).isEqualTo("INSTANCE_ID");
    assertThat(failure("INSTANCE_ID", "x".repeat(201)).variable()).isEqualTo("INSTANCE_ID");
    assertThat(failure("STREAM_LEASE_DURATION", "1s").variable()).isEqualTo("STREAM_LEASE_DURATION");
    assertThat(failure("STREAM_LEASE_DURATION", "1h").variable()).isEqualTo("STREAM_LEASE_DURATION");
  }

  @Test
  void portZeroIsAllowedAndOutOfRangeIsNot() {
    assertThat(config("HTTP_PORT", "0").http().port()).isZero();
    ConfigException e = failure("HTTP_PORT", "70000");
    assertThat(e.variable()).isEqualTo("HTTP_PORT");
    assertThat(e.getMessage()).startsWith("HTTP_PORT: ").contains("0..65535");
    assertThat(failure("HTTP_PORT", "eighty").variable()).isEqualTo("HTTP_PORT");
  }

  @Test
  void durationsAcceptIsoAndShortForms() {
    assertThat(config("EXPORT_SIGNED_URL_TTL", "PT2H").timings().exportSignedUrlTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(config("EXPORT_SIGNED_URL_TTL", "90m").timings().exportSignedUrlTtl())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(config("ROLLUP_INTERVAL", "500ms").timings().rollupInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(failure("ROLLUP_INTERVAL", "soon").getMessage()).startsWith("ROLLUP_INTERVAL: ").contains("10s");
    assertThat(failure("EXPORT_SIGNED_URL_TTL", "30d").variable()).isEqualTo("EXPORT_SIGNED_URL_TTL");
    assertThat(failure("FRESHNESS_CACHE_TTL", "-5s").variable()).isEqualTo("FRESHNESS_CACHE_TTL");
  }

  @Test
  void sizesAcceptUnits() {
    assertThat(config("MAX_BODY_BYTES", "1MB").http().maxBodyBytes()).isEqualTo(1L << 20);
    assertThat(config("MAX_BODY_BYTES", "65536").http().maxBodyBytes()).isEqualTo(65536);
    assertThat(failure("MAX_BODY_BYTES", "5 potatoes").variable()).isEqualTo("MAX_BODY_BYTES");
    assertThat(failure("MAX_BODY_BYTES", "2GB").variable()).isEqualTo("MAX_BODY_BYTES");
  }

  @Test
  void batchAndRateLimitsAreBounded() {
    assertThat(failure("MAX_BATCH_EVENTS", "0").variable()).isEqualTo("MAX_BATCH_EVENTS");
    assertThat(config("RATE_LIMIT_PER_MINUTE", "0").http().rateLimitPerMinute()).isZero();
    assertThat(failure("RATE_LIMIT_PER_MINUTE", "-1").variable()).isEqualTo("RATE_LIMIT_PER_MINUTE");
  }

  @Test
  void theEventTimeWindowDefaultsTo400DaysBackAnd5MinutesAheadAndIsBounded() {
    TallyConfig.Guards defaults = config().guards();
    assertThat(defaults.eventTime()).isEqualTo(EventTimeWindow.defaults());
    assertThat(config("MAX_EVENT_AGE", "30d", "MAX_CLOCK_SKEW", "90s").guards().eventTime())
        .isEqualTo(new EventTimeWindow(Duration.ofDays(30), Duration.ofSeconds(90)));
    assertThat(config("MAX_CLOCK_SKEW", "0s").guards().eventTime().maxClockSkew()).isZero();
    assertThat(failure("MAX_EVENT_AGE", "36526d").variable()).isEqualTo("MAX_EVENT_AGE");
    assertThat(failure("MAX_EVENT_AGE", "0s").variable()).isEqualTo("MAX_EVENT_AGE");
    assertThat(failure("MAX_CLOCK_SKEW", "2d").variable()).isEqualTo("MAX_CLOCK_SKEW");
    assertThat(failure("MAX_CLOCK_SKEW", "soon").variable()).isEqualTo("MAX_CLOCK_SKEW");
  }

  @Test
  void scopeAndAddressBudgetsFollowThePrincipalBudgetUnlessSet() {
    assertThat(config().guards().rateLimitPerScopePerMinute()).isEqualTo(60_000);
    assertThat(config().guards().rateLimitPerAddressPerMinute()).isEqualTo(600);
    TallyConfig.Guards off = config("RATE_LIMIT_PER_MINUTE", "0").guards();
    assertThat(off.rateLimitPerScopePerMinute()).isZero();
    assertThat(off.rateLimitPerAddressPerMinute()).isZero();
    TallyConfig.Guards set = config("RATE_LIMIT_PER_SCOPE_PER_MINUTE", "7", "RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "3")
        .guards();
    assertThat(set.rateLimitPerScopePerMinute()).isEqualTo(7);
    assertThat(set.rateLimitPerAddressPerMinute()).isEqualTo(3);
    assertThat(failure("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "-1").variable())
        .isEqualTo("RATE_LIMIT_PER_ADDRESS_PER_MINUTE");
  }

  @Test
  void authModeAndRbacFlag() {
    assertThat(failure("AUTH_MODE", "basic").getMessage()).contains("jwt|trusted-headers");
    assertThat(config("ENABLE_RBAC", "true").auth().mode()).isEqualTo(AuthMode.TRUSTED_HEADERS);
    assertThat(failure("ENABLE_RBAC", "false").getMessage()).contains("ENABLE_RBAC").contains("always on");
    assertThat(failure("ENABLE_RBAC", "maybe").variable()).isEqualTo("ENABLE_RBAC");
  }

  @Test
  void trustedHeadersOnANonLoopbackHostNeedsAProxyAllowlist() {
    ConfigException e = failure("HTTP_HOST", "0.0.0.0");
    assertThat(e.variable()).isEqualTo("TRUSTED_PROXY_CIDRS");
    assertThat(config("HTTP_HOST", "0.0.0.0", "TRUSTED_PROXY_CIDRS", "10.0.0.0/8, fd00::/8").auth()
        .trustedProxyCidrs()).hasSize(2);
    assertThat(config("HTTP_HOST", "::1").http().isLoopback()).isTrue();
    assertThat(config("HTTP_HOST", "localhost").http().isLoopback()).isTrue();
    assertThat(failure("TRUSTED_PROXY_CIDRS", "10.0.0.0/99").variable()).isEqualTo("TRUSTED_PROXY_CIDRS");
  }

  @Test
  void jwtModeNeedsIssuerAudienceAndAKey(@TempDir Path dir) throws Exception {
    assertThat(failure("AUTH_MODE", "jwt").variable()).isEqualTo("JWT_ISSUER");
    assertThat(failure("AUTH_MODE", "jwt", "JWT_ISSUER", "i").variable()).isEqualTo("JWT_AUDIENCE");
    assertThat(failure("AUTH_MODE", "jwt", "JWT_ISSUER", "i", "JWT_AUDIENCE", "a").getMessage())
        .contains("JWT_HS256_SECRET");
    assertThat(failure("AUTH_MODE", "jwt", "JWT_ISSUER", "i", "JWT_AUDIENCE", "a", "JWT_HS256_SECRET", "short")
        .variable()).isEqualTo("JWT_HS256_SECRET");
    assertThat(failure("AUTH_MODE", "jwt", "JWT_ISSUER", "i", "JWT_AUDIENCE", "a", "JWT_JWKS_FILE",
        dir.resolve("missing.json").toString()).variable()).isEqualTo("JWT_JWKS_FILE");
    Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    TallyConfig c = config("AUTH_MODE", "jwt", "JWT_ISSUER", "i", "JWT_AUDIENCE", "a", "JWT_JWKS_FILE",
        jwks.toString(), "HTTP_HOST", "0.0.0.0");
    assertThat(c.auth().jwt()).hasValueSatisfying(j -> assertThat(j.jwksFile()).contains(jwks));
  }

  @Test
  void connectionUrlsAreCheckedByScheme() {
    assertThat(config("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/tally").services().databaseUrl())
        .isPresent();
    ConfigException e = failure("DATABASE_URL", "mysql://root:pw@db/x");
    assertThat(e.variable()).isEqualTo("DATABASE_URL");
    assertThat(e.getMessage()).doesNotContain("pw");
    assertThat(failure("REDIS_URL", "http://x").variable()).isEqualTo("REDIS_URL");
    assertThat(failure("RABBITMQ_URL", "x").variable()).isEqualTo("RABBITMQ_URL");
  }

  @Test
  void streamBatchingHasDefaultsAndBounds() {
    assertThat(config().services().rabbitmqBatching()).isEqualTo(new TallyConfig.StreamBatching(5_000,
        Duration.ofMillis(200)));
    assertThat(config("RABBITMQ_BATCH_SIZE", "250", "RABBITMQ_BATCH_MAX_WAIT_MS", "50").services()
        .rabbitmqBatching()).isEqualTo(new TallyConfig.StreamBatching(250, Duration.ofMillis(50)));
    assertThat(config("RABBITMQ_BATCH_SIZE", "10000").services().rabbitmqBatching().size()).isEqualTo(10_000);
    ConfigException tooBig = failure("RABBITMQ_BATCH_SIZE", "10001");
    assertThat(tooBig.variable()).isEqualTo("RABBITMQ_BATCH_SIZE");
    assertThat(tooBig.getMessage()).contains("1..10000");
    assertThat(failure("RABBITMQ_BATCH_SIZE", "0").variable()).isEqualTo("RABBITMQ_BATCH_SIZE");
    assertThat(failure("RABBITMQ_BATCH_SIZE", "many").variable()).isEqualTo("RABBITMQ_BATCH_SIZE");
    assertThat(failure("RABBITMQ_BATCH_MAX_WAIT_MS", "0").getMessage())
        .startsWith("RABBITMQ_BATCH_MAX_WAIT_MS: ").contains("1..60000");
    assertThat(failure("RABBITMQ_BATCH_MAX_WAIT_MS", "200ms").variable()).isEqualTo("RABBITMQ_BATCH_MAX_WAIT_MS");
  }

  @Test
  void streamBatchingReachesTheConsumerSettings() {
    TallyConfig c = config("RABBITMQ_URL", "rabbitmq-stream://guest:guest@127.0.0.1:5552/%2f",
        "RABBITMQ_BATCH_SIZE", "300", "RABBITMQ_BATCH_MAX_WAIT_MS", "75");
    StreamSettings s = StreamIngestion.settings(c).build();
    assertThat(s.batchSize()).isEqualTo(300);
    assertThat(s.maxWait()).isEqualTo(Duration.ofMillis(75));
  }

  @Test
  void s3SettingsHangTogether() {
    assertThat(config().services().s3()).isEmpty();
    assertThat(failure("S3_ENDPOINT", "http://minio:9000").variable()).isEqualTo("S3_BUCKET");
    assertThat(failure("S3_BUCKET", "Bad_Bucket").variable()).isEqualTo("S3_BUCKET");
    assertThat(failure("S3_BUCKET", "exports", "S3_ACCESS_KEY_ID", "a").variable())
        .isEqualTo("S3_SECRET_ACCESS_KEY");
    assertThat(failure("S3_FORCE_PATH_STYLE", "true").variable()).isEqualTo("S3_BUCKET");
    assertThat(failure("S3_BUCKET", "exports", "S3_FORCE_PATH_STYLE", "maybe").variable())
        .isEqualTo("S3_FORCE_PATH_STYLE");
    TallyConfig.S3 s3 = config("S3_BUCKET", "exports", "S3_ENDPOINT", "http://127.0.0.1:9000",
        "S3_ACCESS_KEY_ID", "ak", "S3_SECRET_ACCESS_KEY", "sk").services().s3().orElseThrow();
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.secretAccessKey().orElseThrow().value()).isEqualTo("sk");
    assertThat(s3.forcePathStyle()).as("path style by default with an endpoint").isTrue();
    assertThat(config("S3_BUCKET", "exports").services().s3().orElseThrow().forcePathStyle()).isFalse();
    assertThat(config("S3_BUCKET", "exports", "S3_ENDPOINT", "http://m:9000", "S3_FORCE_PATH_STYLE", "false")
        .services().s3().orElseThrow().forcePathStyle()).isFalse();
  }

  @Test
  void theOldS3KeyNamesAreRefusedNamingTheNewOnes() {
    assertThat(failure("S3_BUCKET", "exports", "S3_ACCESS_KEY", "a").getMessage()).contains("S3_ACCESS_KEY_ID");
    assertThat(failure("S3_SECRET_KEY", "a").getMessage()).contains("S3_SECRET_ACCESS_KEY");
  }

  @Test
  void exportSettingsHaveDefaultsAndLimits() {
    TallyConfig.Exports e = config().exports();
    assertThat(e.workerInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(e.workerConcurrency()).isEqualTo(1);
    assertThat(e.lease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(e.rawMaxRows()).isEqualTo(10_000);
    assertThat(e.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(e.signingKey()).isEmpty();
    assertThat(config().timings().exportSignedUrlTtl()).isEqualTo(Duration.ofHours(24));
    TallyConfig.Exports set = config("EXPORT_WORKER_INTERVAL", "250ms", "EXPORT_WORKER_CONCURRENCY", "0",
        "EXPORT_RAW_MAX_ROWS", "1000000", "EXPORT_PUBLIC_URL", "https://tally.example.com/").exports();
    assertThat(set.workerInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(set.workerConcurrency()).isZero();
    assertThat(set.rawMaxRows()).isEqualTo(1_000_000);
    assertThat(set.publicUrl()).contains("https://tally.example.com");
    assertThat(failure("EXPORT_WORKER_INTERVAL", "0s").variable()).isEqualTo("EXPORT_WORKER_INTERVAL");
    assertThat(failure("EXPORT_WORKER_INTERVAL", "soon").variable()).isEqualTo("EXPORT_WORKER_INTERVAL");
    assertThat(failure("EXPORT_WORKER_CONCURRENCY", "17").variable()).isEqualTo("EXPORT_WORKER_CONCURRENCY");
    assertThat(failure("EXPORT_WORKER_CONCURRENCY", "-1").variable()).isEqualTo("EXPORT_WORKER_CONCURRENCY");
    assertThat(failure("EXPORT_RAW_MAX_ROWS", "0").variable()).isEqualTo("EXPORT_RAW_MAX_ROWS");
    assertThat(failure("EXPORT_SIGNING_KEY", "short").getMessage()).contains("32 bytes");
    assertThat(failure("EXPORT_PUBLIC_URL", "tally.example.com").variable()).isEqualTo("EXPORT_PUBLIC_URL");
  }

  @Test
  void aSignedUrlTtlBeyondSevenDaysIsRefusedAtStart() {
    assertThat(config("EXPORT_SIGNED_URL_TTL", "7d").timings().exportSignedUrlTtl()).isEqualTo(Duration.ofDays(7));
    ConfigException tooLong = failure("EXPORT_SIGNED_URL_TTL", "8d");
    assertThat(tooLong.variable()).isEqualTo("EXPORT_SIGNED_URL_TTL");
    assertThat(tooLong.getMessage()).contains("at most 7 days");
    assertThat(failure("EXPORT_SIGNED_URL_TTL", "0s").variable()).isEqualTo("EXPORT_SIGNED_URL_TTL");
  }

  @Test
  void environmentAndLogLevelAreValidated() {
    assertThat(config("ENVIRONMENT", "staging").environment()).isEqualTo("staging");
    assertThat(failure("ENVIRONMENT", "prod env").variable()).isEqualTo("ENVIRONMENT");
    assertThat(config("LOG_LEVEL", "debug").logLevel()).isEqualTo("DEBUG");
    assertThat(failure("LOG_LEVEL", "LOUD").getMessage()).contains("TRACE|DEBUG|INFO|WARN|ERROR|OFF");
  }

  @Test
  void toStringNeverShowsSecrets() {
    String text = config("DATABASE_URL", "postgresql://tally:dbpass@db:5432/tally?password=qpass",
        "REDIS_URL", "redis://:redispass@cache:6379", "S3_BUCKET", "exports", "S3_ACCESS_KEY_ID", "AKIAXYZ",
        "S3_SECRET_ACCESS_KEY", "s3secret", "EXPORT_SIGNING_KEY", "signing-key-signing-key-signing-key-42",
        "AUTH_MODE", "jwt", "JWT_ISSUER", "i", "JWT_AUDIENCE", "a",
        "JWT_HS256_SECRET", "0123456789abcdef0123456789abcdef-hs").toString();
    assertThat(text).doesNotContain("dbpass", "qpass", "redispass", "AKIAXYZ", "s3secret", "0123456789abcdef",
            "signing-key-signing")
        .contains("postgresql://tally:***@db:5432", "<redacted>");
  }
}
