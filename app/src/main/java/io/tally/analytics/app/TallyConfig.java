package io.tally.analytics.app;

import io.tally.analytics.adapter.http.CidrBlock;
import io.tally.analytics.adapter.rabbitmq.StreamSettings;
import io.tally.analytics.core.usage.EventTimeWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole process configuration, read once from environment variables (names of the original service where
 * they exist) and validated before anything starts: a bad value throws {@link ConfigException} naming the
 * variable. Secrets and connection-URL passwords are redacted in {@code toString}.
 *
 * @param environment {@code ENVIRONMENT}: the {@code env} that storage routes match
 * @param logLevel {@code LOG_LEVEL}
 * @param dataDir {@code DATA_DIR}: embedded PostgreSQL and local exports live here
 * @param http listener and request limits
 * @param auth authentication mode and its settings
 * @param services external dependencies; absent ones are replaced by embedded or in-process defaults
 * @param timings intervals and time-to-live values
 * @param analyticsStores route-secret keys and the document stores' scan limit
 * @param operations tracing, data retention and the stream port derived from an AMQP {@code RABBITMQ_URL}
 * @param exports the export worker and the embedded store's links
 * @param guards the event-time window and the rate-limit budgets besides the per-principal one
 */
public record TallyConfig(String environment, String logLevel, Path dataDir, Http http, Auth auth,
    Services services, Timings timings, AnalyticsStores analyticsStores, Operations operations, Exports exports,
    Guards guards) {

  /** Default {@code MAX_BODY_BYTES}: 5 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 5L << 20;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
  private static final Pattern LEVEL = Pattern.compile("(?i)TRACE|DEBUG|INFO|WARN|ERROR|OFF");

  /** Validates. */
  public TallyConfig {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(analyticsStores, "analyticsStores");
    Objects.requireNonNull(operations, "operations");
    Objects.requireNonNull(exports, "exports");
    Objects.requireNonNull(guards, "guards");
  }

  /**
   * Settings of the routed AN-01 stores.
   *
   * @param routeSecretsKey {@code ROUTE_SECRETS_KEY}: Base64 of 32 random bytes, the AES-256-GCM key that seals route
   *     secrets; required unless {@code ENVIRONMENT=development} (then generated into {@code DATA_DIR})
   * @param previousKeys {@code ROUTE_SECRETS_PREVIOUS_KEYS}: comma-separated older keys, only to open values sealed
   *     before a rotation (the server reseals them with the current key at start)
   * @param scanLimit {@code ANALYTICS_SCAN_LIMIT}: most events one aggregation may read from a document store
   */
  public record AnalyticsStores(Optional<Secret> routeSecretsKey, List<Secret> previousKeys, long scanLimit) {
    /** Defensive copy. */
    public AnalyticsStores {
      previousKeys = List.copyOf(previousKeys);
    }
  }

  /**
   * @param host {@code HTTP_HOST}
   * @param port {@code HTTP_PORT}; 0 picks a free port
   * @param maxBodyBytes {@code MAX_BODY_BYTES}
   * @param maxBatchEvents {@code MAX_BATCH_EVENTS}
   * @param rateLimitPerMinute {@code RATE_LIMIT_PER_MINUTE}; 0 disables the limiter
   */
  public record Http(String host, int port, long maxBodyBytes, int maxBatchEvents, int rateLimitPerMinute) {
    /** @return true when the bind address accepts only local connections */
    public boolean isLoopback() {
      return host.equalsIgnoreCase("localhost")
          || CidrBlock.parseAddress(host).map(java.net.InetAddress::isLoopbackAddress).orElse(false);
    }
  }

  /**
   * @param mode {@code AUTH_MODE}
   * @param trustedProxyCidrs {@code TRUSTED_PROXY_CIDRS}, comma-separated
   * @param jwt the {@code JWT_*} settings; present exactly when the mode is {@link AuthMode#JWT}
   */
  public record Auth(AuthMode mode, List<CidrBlock> trustedProxyCidrs, Optional<Jwt> jwt) {
    /** Defensive copy. */
    public Auth {
      trustedProxyCidrs = List.copyOf(trustedProxyCidrs);
    }
  }

  /**
   * @param issuer {@code JWT_ISSUER}
   * @param audience {@code JWT_AUDIENCE}
   * @param hs256Secret {@code JWT_HS256_SECRET}
   * @param publicKeyPemFile {@code JWT_PUBLIC_KEY_PEM_FILE}
   * @param jwksFile {@code JWT_JWKS_FILE}
   */
  public record Jwt(String issuer, String audience, Optional<Secret> hs256Secret, Optional<Path> publicKeyPemFile,
      Optional<Path> jwksFile) {}

  /**
   * @param databaseUrl {@code DATABASE_URL}; absent means embedded PostgreSQL under {@code DATA_DIR}
   * @param redisUrl {@code REDIS_URL}
   * @param rabbitmqUrl {@code RABBITMQ_URL}
   * @param rabbitmqStream {@code RABBITMQ_STREAM}
   * @param rabbitmqConsumer {@code RABBITMQ_CONSUMER}: the consumer name offsets are stored under
   * @param rabbitmqBatching how the stream consumer groups messages into one commit
   * @param s3 the {@code S3_*} settings, present when {@code S3_BUCKET} is set
   */
  public record Services(Optional<ServiceUrl> databaseUrl, Optional<ServiceUrl> redisUrl,
      Optional<ServiceUrl> rabbitmqUrl, String rabbitmqStream, String rabbitmqConsumer,
      StreamBatching rabbitmqBatching, Optional<S3> s3) {}

  /**
   * A stream batch is handed over when it holds {@code size} messages or its first message has waited
   * {@code maxWait}, whichever comes first; each batch is one transaction (rows and offset).
   *
   * @param size {@code RABBITMQ_BATCH_SIZE}; at most the consumer's buffer, so a full batch can always form
   * @param maxWait {@code RABBITMQ_BATCH_MAX_WAIT_MS}
   */
  public record StreamBatching(int size, Duration maxWait) {}

  /**
   * @param endpoint {@code S3_ENDPOINT}; absent means AWS itself
   * @param bucket {@code S3_BUCKET}
   * @param region {@code S3_REGION}
   * @param accessKeyId {@code S3_ACCESS_KEY_ID}; absent means the AWS SDK's default chain (environment, profile,
   *     instance role)
   * @param secretAccessKey {@code S3_SECRET_ACCESS_KEY}
   * @param forcePathStyle {@code S3_FORCE_PATH_STYLE} (default true with an {@code S3_ENDPOINT}, false without)
   */
  public record S3(Optional<String> endpoint, String bucket, String region, Optional<Secret> accessKeyId,
      Optional<Secret> secretAccessKey, boolean forcePathStyle) {}

  /**
   * @param workerInterval {@code EXPORT_WORKER_INTERVAL}: how often an idle worker looks for a job
   * @param workerConcurrency {@code EXPORT_WORKER_CONCURRENCY}: jobs this process runs at once; 0 runs none (an
   *     API-only instance)
   * @param lease {@code EXPORT_WORKER_LEASE}: a silent worker's job is taken over this long after its last
   *     heartbeat
   * @param rawMaxRows {@code EXPORT_RAW_MAX_ROWS}
   * @param retention {@code EXPORT_RETENTION}: how long a finished file stays downloadable
   * @param signingKey {@code EXPORT_SIGNING_KEY}: key of the embedded store's links; absent means a key generated
   *     once into {@code DATA_DIR}
   * @param publicUrl {@code EXPORT_PUBLIC_URL}: the server's URL as clients reach it, for the embedded store's
   *     links; absent means the URL the server listens on
   */
  public record Exports(Duration workerInterval, int workerConcurrency, Duration lease, long rawMaxRows,
      Duration retention, Optional<Secret> signingKey, Optional<String> publicUrl) {}

  /**
   * @param exportSignedUrlTtl {@code EXPORT_SIGNED_URL_TTL}
   * @param freshnessCacheTtl {@code FRESHNESS_CACHE_TTL}
   * @param rollupInterval {@code ROLLUP_INTERVAL}
   */
  public record Timings(Duration exportSignedUrlTtl, Duration freshnessCacheTtl, Duration rollupInterval) {}

  /**
   * What hostile input meets besides the HTTP limits (issue 8).
   *
   * @param eventTime {@code MAX_EVENT_AGE} and {@code MAX_CLOCK_SKEW}: usage events outside
   *     {@code [now - age, now + skew]} are refused one by one
   * @param rateLimitPerScopePerMinute {@code RATE_LIMIT_PER_SCOPE_PER_MINUTE}: shared by every principal of the
   *     same organisations and tenants; default 10 x {@code RATE_LIMIT_PER_MINUTE}
   * @param rateLimitPerAddressPerMinute {@code RATE_LIMIT_PER_ADDRESS_PER_MINUTE}: requests refused before
   *     authentication (401, ambiguous headers) per client address; default {@code RATE_LIMIT_PER_MINUTE} / 10
   */
  public record Guards(EventTimeWindow eventTime, int rateLimitPerScopePerMinute, int rateLimitPerAddressPerMinute) {
    /** Validates. */
    public Guards {
      Objects.requireNonNull(eventTime, "eventTime");
    }
  }

  /**
   * What operating the server needs beyond its dependencies.
   *
   * @param tracing OpenTelemetry tracing, present when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set
   * @param retention how long raw data, dead letters and live audit records are kept
   * @param rabbitmqStreamPort {@code RABBITMQ_STREAM_PORT}: the stream port used with an AMQP {@code RABBITMQ_URL}
   * @param streamLease which instance consumes the stream when several run
   */
  public record Operations(Optional<Tracing> tracing, Retention retention, int rabbitmqStreamPort,
      StreamLease streamLease) {}

  /**
   * The database lease that lets one instance at a time consume the stream (docs/operations.md, docs/scaling.md).
   *
   * @param instanceId {@code INSTANCE_ID}: this instance's name in the lease and in {@code readyz}, unique among
   *     the instances sharing a database (default host name and process id)
   * @param duration {@code STREAM_LEASE_DURATION}: how long a lease lasts unless renewed (renewed every third of
   *     it); a killed holder is replaced within about 1.3 times this
   */
  public record StreamLease(String instanceId, Duration duration) {}

  /**
   * @param serviceName {@code SERVICE_NAME} ({@code OTEL_SERVICE_NAME} is read too), the {@code service.name}
   * @param otlpEndpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}: base URL of an OTLP/HTTP receiver; spans go to
   *     {@code <endpoint>/v1/traces}
   * @param sampler {@code OTEL_TRACES_SAMPLER}
   * @param samplerArg {@code OTEL_TRACES_SAMPLER_ARG}: the ratio of the {@code *traceidratio} samplers, 0..1
   */
  public record Tracing(String serviceName, String otlpEndpoint, String sampler, double samplerArg) {}

  /**
   * @param rawDays {@code RETENTION_RAW_DAYS}: whole days of raw events (and their dedup keys) kept; older daily
   *     partitions are dropped, rollups stay
   * @param deadLetterDays {@code RETENTION_DEAD_LETTERS_DAYS}
   * @param auditDays {@code RETENTION_AUDIT_DAYS}: live audit records older than this are archived in segments
   * @param interval {@code RETENTION_INTERVAL}: how often the housekeeping runs
   */
  public record Retention(int rawDays, int deadLetterDays, int auditDays, Duration interval) {}

  /**
   * @param env the environment ({@code System.getenv()} in production, a map in tests)
   * @return the validated configuration
   * @throws ConfigException naming the first variable with a bad value
   */
  public static TallyConfig fromEnvironment(Map<String, String> env) {
    ConfigReader in = new ConfigReader(env);
    String environment = in.string("ENVIRONMENT", "development", NAME, "letters, digits, . _ - (max 64)");
    String logLevel = in.string("LOG_LEVEL", "INFO", LEVEL, "TRACE|DEBUG|INFO|WARN|ERROR|OFF")
        .toUpperCase(Locale.ROOT);
    Path dataDir = Path.of(in.optional("DATA_DIR").orElse("./data"));
    Http http = new Http(
        in.string("HTTP_HOST", "127.0.0.1", HOST, "an IP address or host name"),
        in.integer("HTTP_PORT", 8080, 0, 65_535),
        in.bytes("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1L << 10, 1L << 30),
        in.integer("MAX_BATCH_EVENTS", 5_000, 1, 100_000),
        in.integer("RATE_LIMIT_PER_MINUTE", 6_000, 0, 1_000_000));
    Auth auth = auth(in, http);
    Services services = new Services(
        url(in, "DATABASE_URL", "jdbc:postgresql://", "postgresql://", "postgres://"),
        url(in, "REDIS_URL", "redis://", "rediss://"),
        url(in, "RABBITMQ_URL", "amqp://", "amqps://", "rabbitmq-stream://", "rabbitmq-stream+tls://"),
        in.string("RABBITMQ_STREAM", "analytics.usage.v1", NAME, "letters, digits, . _ - (max 64)"),
        in.string("RABBITMQ_CONSUMER", "tally-ingest", NAME, "letters, digits, . _ - (max 64)"),
        streamBatching(in),
        s3(in));
    Timings timings = new Timings(
        signedUrlTtl(in),
        in.duration("FRESHNESS_CACHE_TTL", Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1)),
        in.duration("ROLLUP_INTERVAL", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1)));
    return new TallyConfig(environment, logLevel, dataDir, http, auth, services, timings, analyticsStores(in),
        operations(in), exports(in), guards(in, http));
  }

  private static Guards guards(ConfigReader in, Http http) {
    EventTimeWindow window = new EventTimeWindow(
        in.duration("MAX_EVENT_AGE", EventTimeWindow.DEFAULT_MAX_AGE, Duration.ofHours(1),
            EventTimeWindow.LONGEST_MAX_AGE),
        in.duration("MAX_CLOCK_SKEW", EventTimeWindow.DEFAULT_MAX_CLOCK_SKEW, Duration.ZERO,
            EventTimeWindow.LONGEST_MAX_CLOCK_SKEW));
    int perPrincipal = http.rateLimitPerMinute();
    int perScope = in.integer("RATE_LIMIT_PER_SCOPE_PER_MINUTE", (int) Math.min(10_000_000L, 10L * perPrincipal), 0,
        10_000_000);
    int perAddress = in.integer("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", perPrincipal == 0 ? 0
        : Math.max(1, perPrincipal / 10), 0, 1_000_000);
    return new Guards(window, perScope, perAddress);
  }

  private static AnalyticsStores analyticsStores(ConfigReader in) {
    Optional<Secret> key = in.optional("ROUTE_SECRETS_KEY").map(Secret::new);
    key.ifPresent(k -> RouteSecretKeys.decode("ROUTE_SECRETS_KEY", k));
    List<Secret> previous = in.optional("ROUTE_SECRETS_PREVIOUS_KEYS").map(list -> Arrays.stream(list.split(","))
        .map(String::trim).filter(v -> !v.isEmpty()).map(Secret::new).toList()).orElse(List.of());
    previous.forEach(k -> RouteSecretKeys.decode("ROUTE_SECRETS_PREVIOUS_KEYS", k));
    if (!previous.isEmpty() && key.isEmpty()) {
      throw new ConfigException("ROUTE_SECRETS_KEY", "is required when ROUTE_SECRETS_PREVIOUS_KEYS is set");
    }
    int scanLimit = in.integer("ANALYTICS_SCAN_LIMIT", 100_000, 100, 10_000_000);
    return new AnalyticsStores(key, previous, scanLimit);
  }

  private static final Pattern SAMPLER = Pattern.compile(
      "always_on|always_off|traceidratio|parentbased_always_on|parentbased_always_off|parentbased_traceidratio");

  private static Operations operations(ConfigReader in) {
    // Applied by Main before logging starts (LogFormat); validated here so a typo stops the start with its name.
    in.string("LOG_FORMAT", "json", Pattern.compile("(?i)json|text"), "json or text");
    Retention retention = new Retention(
        in.integer("RETENTION_RAW_DAYS", 400, 1, 36_500),
        in.integer("RETENTION_DEAD_LETTERS_DAYS", 90, 1, 36_500),
        in.integer("RETENTION_AUDIT_DAYS", 400, 1, 36_500),
        in.duration("RETENTION_INTERVAL", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(1)));
    return new Operations(tracing(in), retention, in.integer("RABBITMQ_STREAM_PORT", 5552, 1, 65_535),
        new StreamLease(in.string("INSTANCE_ID", defaultInstanceId(), INSTANCE_ID, "1-200 of A-Z a-z 0-9 . _ : @ -"),
            in.duration("STREAM_LEASE_DURATION", Duration.ofSeconds(4), Duration.ofSeconds(2),
                Duration.ofMinutes(5))));
  }

  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

  /** Host name and process id: unique per process on a host, and says where to look. */
  static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    String id = host.replaceAll("[^A-Za-z0-9._:@-]", "_") + "-" + ProcessHandle.current().pid();
    return id.length() > 200 ? id.substring(id.length() - 200) : id;
  }

  private static Optional<Tracing> tracing(ConfigReader in) {
    Optional<String> endpoint = in.optional("OTEL_EXPORTER_OTLP_ENDPOINT");
    String name = in.string("SERVICE_NAME", in.optional("OTEL_SERVICE_NAME").orElse("tally"), NAME,
        "letters, digits, . _ - (max 64)");
    String sampler = in.string("OTEL_TRACES_SAMPLER", "parentbased_always_on", SAMPLER, SAMPLER.pattern());
    String rawArg = in.optional("OTEL_TRACES_SAMPLER_ARG").orElse("1.0");
    double arg;
    try {
      arg = Double.parseDouble(rawArg);
    } catch (NumberFormatException e) {
      arg = Double.NaN;
    }
    if (!(arg >= 0 && arg <= 1)) {
      throw new ConfigException("OTEL_TRACES_SAMPLER_ARG", "'" + rawArg + "' is not allowed; expected a ratio 0..1");
    }
    if (endpoint.isPresent() && !endpoint.get().matches("https?://[^\\s/]+(/\\S*)?")) {
      throw new ConfigException("OTEL_EXPORTER_OTLP_ENDPOINT", "'" + endpoint.get()
          + "' is not allowed; expected the http(s) base URL of an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318");
    }
    Optional<String> protocol = in.optional("OTEL_EXPORTER_OTLP_PROTOCOL");
    if (protocol.isPresent() && !protocol.get().equals("http/protobuf")) {
      throw new ConfigException("OTEL_EXPORTER_OTLP_PROTOCOL", "'" + protocol.get()
          + "' is not supported; expected http/protobuf (send gRPC through a collector)");
    }
    String serviceName = name;
    double ratio = arg;
    return endpoint.map(e -> new Tracing(serviceName, e, sampler, ratio));
  }

  private static Duration signedUrlTtl(ConfigReader in) {
    Duration ttl = in.duration("EXPORT_SIGNED_URL_TTL", Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofDays(3650));
    if (ttl.compareTo(Duration.ofDays(7)) > 0) {
      throw new ConfigException("EXPORT_SIGNED_URL_TTL", "'" + ttl + "' is too long; SigV4 presigned URLs live "
          + "at most 7 days (7d), and Tally's own links keep the same limit");
    }
    return ttl;
  }

  private static Exports exports(ConfigReader in) {
    Duration interval = in.duration("EXPORT_WORKER_INTERVAL", Duration.ofSeconds(1), Duration.ofMillis(100),
        Duration.ofHours(1));
    int concurrency = in.integer("EXPORT_WORKER_CONCURRENCY", 1, 0, 16);
    Duration lease = in.duration("EXPORT_WORKER_LEASE", Duration.ofSeconds(60), Duration.ofSeconds(1),
        Duration.ofHours(1));
    int rawMaxRows = in.integer("EXPORT_RAW_MAX_ROWS", 10_000, 1, 10_000_000);
    Duration retention = in.duration("EXPORT_RETENTION", Duration.ofDays(7), Duration.ofMinutes(1),
        Duration.ofDays(3650));
    Optional<Secret> key = in.optional("EXPORT_SIGNING_KEY").map(Secret::new);
    if (key.isPresent() && key.get().value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException("EXPORT_SIGNING_KEY", "is too short; expected at least 32 bytes "
          + "(for example: openssl rand -hex 32)");
    }
    Optional<String> publicUrl = in.optional("EXPORT_PUBLIC_URL").map(u -> u.replaceAll("/+$", ""));
    if (publicUrl.isPresent() && !publicUrl.get().matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      throw new ConfigException("EXPORT_PUBLIC_URL", "'" + publicUrl.get() + "' is not allowed; expected an "
          + "http(s) URL such as https://tally.example.com");
    }
    return new Exports(interval, concurrency, lease, rawMaxRows, retention, key, publicUrl);
  }

  private static StreamBatching streamBatching(ConfigReader in) {
    int size = in.integer("RABBITMQ_BATCH_SIZE", StreamSettings.DEFAULT_BATCH_SIZE, 1,
        StreamSettings.DEFAULT_MAX_BUFFERED_MESSAGES);
    int maxWaitMs = in.integer("RABBITMQ_BATCH_MAX_WAIT_MS", (int) StreamSettings.DEFAULT_MAX_WAIT.toMillis(), 1,
        60_000);
    return new StreamBatching(size, Duration.ofMillis(maxWaitMs));
  }

  private static Auth auth(ConfigReader in, Http http) {
    AuthMode mode = in.choice("AUTH_MODE", AuthMode.TRUSTED_HEADERS, AuthMode.BY_NAME);
    // Accepted for compatibility with the original service's variable, but only as true: every route is
    // authorized and audited, and a switch that silently turned that off would be a trap.
    if (!in.bool("ENABLE_RBAC", true)) {
      throw new ConfigException("ENABLE_RBAC", "cannot be false: RBAC and its audit are always on; "
          + "grant roles instead (for example X-Actor-Roles: admin)");
    }
    List<CidrBlock> proxies = cidrs(in);
    if (mode == AuthMode.TRUSTED_HEADERS && !http.isLoopback() && proxies.isEmpty()) {
      throw new ConfigException("TRUSTED_PROXY_CIDRS", "must list the gateway networks when AUTH_MODE="
          + "trusted-headers binds the non-loopback HTTP_HOST=" + http.host()
          + " (or bind 127.0.0.1, or use AUTH_MODE=jwt)");
    }
    return new Auth(mode, proxies, mode == AuthMode.JWT ? Optional.of(jwt(in)) : Optional.empty());
  }

  private static List<CidrBlock> cidrs(ConfigReader in) {
    return in.optional("TRUSTED_PROXY_CIDRS").map(list -> Arrays.stream(list.split(","))
        .map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> {
          try {
            return CidrBlock.parse(s);
          } catch (IllegalArgumentException e) {
            throw new ConfigException("TRUSTED_PROXY_CIDRS", "'" + s + "' is not allowed; expected a comma list "
                + "of IPv4/IPv6 networks such as 10.0.0.0/8,fd00::/8");
          }
        }).toList()).orElse(List.of());
  }

  private static Jwt jwt(ConfigReader in) {
    String issuer = in.optional("JWT_ISSUER").orElseThrow(() -> new ConfigException("JWT_ISSUER",
        "is required when AUTH_MODE=jwt; expected the iss value tokens carry"));
    String audience = in.optional("JWT_AUDIENCE").orElseThrow(() -> new ConfigException("JWT_AUDIENCE",
        "is required when AUTH_MODE=jwt; expected the aud value tokens carry"));
    Optional<Secret> secret = in.optional("JWT_HS256_SECRET").map(Secret::new);
    if (secret.isPresent() && secret.get().value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException("JWT_HS256_SECRET", "is too short; expected at least 32 bytes");
    }
    Optional<Path> pem = readableFile(in, "JWT_PUBLIC_KEY_PEM_FILE");
    Optional<Path> jwks = readableFile(in, "JWT_JWKS_FILE");
    if (secret.isEmpty() && pem.isEmpty() && jwks.isEmpty()) {
      throw new ConfigException("AUTH_MODE", "jwt needs a key; set JWT_HS256_SECRET, JWT_PUBLIC_KEY_PEM_FILE "
          + "or JWT_JWKS_FILE");
    }
    return new Jwt(issuer, audience, secret, pem, jwks);
  }

  private static Optional<Path> readableFile(ConfigReader in, String name) {
    Optional<Path> path = in.optional(name).map(Path::of);
    if (path.isPresent() && !Files.isReadable(path.get())) {
      throw new ConfigException(name, "'" + path.get() + "' is not a readable file");
    }
    return path;
  }

  private static Optional<ServiceUrl> url(ConfigReader in, String name, String... schemes) {
    Optional<String> raw = in.optional(name);
    if (raw.isPresent() && Arrays.stream(schemes).noneMatch(s -> raw.get().startsWith(s))) {
      // Echo only the scheme: the rest of a connection URL may hold a password.
      String scheme = raw.get().contains("://") ? raw.get().substring(0, raw.get().indexOf("://") + 3) : "(none)";
      throw new ConfigException(name, "scheme " + scheme + " is not allowed; expected one of "
          + String.join(" ", schemes));
    }
    return raw.map(ServiceUrl::new);
  }

  private static Optional<S3> s3(ConfigReader in) {
    for (String[] renamed : new String[][] {{"S3_ACCESS_KEY", "S3_ACCESS_KEY_ID"},
        {"S3_SECRET_KEY", "S3_SECRET_ACCESS_KEY"}}) {
      if (in.optional(renamed[0]).isPresent()) {
        throw new ConfigException(renamed[0], "is no longer read; set " + renamed[1] + " instead");
      }
    }
    Optional<String> bucket = in.optional("S3_BUCKET");
    if (bucket.isEmpty()) {
      for (String other : List.of("S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_FORCE_PATH_STYLE")) {
        if (in.optional(other).isPresent()) {
          throw new ConfigException("S3_BUCKET", "is required when " + other + " is set");
        }
      }
      return Optional.empty();
    }
    in.string("S3_BUCKET", "", Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
        "an S3 bucket name (3-63 lower-case letters, digits, . -)");
    Optional<String> endpoint = in.optional("S3_ENDPOINT");
    if (endpoint.isPresent() && !endpoint.get().matches("https?://\\S+")) {
      throw new ConfigException("S3_ENDPOINT", "'" + endpoint.get() + "' is not allowed; expected an http(s) URL");
    }
    Optional<Secret> access = in.optional("S3_ACCESS_KEY_ID").map(Secret::new);
    Optional<Secret> secret = in.optional("S3_SECRET_ACCESS_KEY").map(Secret::new);
    if (access.isPresent() != secret.isPresent()) {
      throw new ConfigException(access.isPresent() ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID",
          "is required when the other S3 key is set");
    }
    String region = in.string("S3_REGION", "us-east-1", Pattern.compile("[a-z0-9-]{1,32}"),
        "a region name such as us-east-1");
    // S3-compatible stores (MinIO, Ceph, S3Proxy, Linode) mostly need path-style; AWS itself prefers virtual hosts.
    boolean pathStyle = in.bool("S3_FORCE_PATH_STYLE", endpoint.isPresent());
    return Optional.of(new S3(endpoint, bucket.get(), region, access, secret, pathStyle));
  }
}
