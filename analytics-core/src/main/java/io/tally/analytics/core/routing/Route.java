package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One entry of the route registry: where the analytics store of a (tenant, env) lives.
 *
 * <p>Only {@link #ANALYTICS_STORE} is a known resource kind today. {@code config} keys are checked against the
 * backend ({@link BackendType#requiredKeys()}, {@link BackendType#optionalKeys()}); boolean flags
 * ({@code use_local}, {@code use_emulator}) must be {@code true} or {@code false}; values are checked per backend by
 * {@link BackendConfigRules}. {@link #toString()} and
 * {@link #redactedConfig()} never show secret values.
 *
 * @param routeId registry id
 * @param resourceKind always {@code analytics_store} today
 * @param tenantId the tenant the route serves
 * @param env deployment environment, for example {@code staging}
 * @param backendType where events go
 * @param config backend settings (string values; the HTTP layer stringifies JSON booleans)
 * @param required informational flag from the original API: the tenant must not run without this route
 * @param createdAt when it was registered
 */
public record Route(String routeId, String resourceKind, String tenantId, String env, BackendType backendType,
    Map<String, String> config, boolean required, Instant createdAt) {

  /** The one resource kind routes exist for today. */
  public static final String ANALYTICS_STORE = "analytics_store";
  /** Shown instead of a secret value. */
  public static final String REDACTED = "***";
  /** Error code for a malformed route. */
  public static final String INVALID_ROUTE = "route.invalid";
  /** Error code for an unknown resource kind. */
  public static final String INVALID_RESOURCE_KIND = "route.invalid_resource_kind";
  /** Error code for config keys or values the backend does not accept. */
  public static final String INVALID_CONFIG = "route.invalid_config";

  private static final Set<String> BOOLEAN_KEYS = Set.of("use_local", "use_emulator");

  /** Validates and copies (config in key order, so equal routes print alike). */
  public Route {
    requireText(routeId, "route_id");
    requireText(tenantId, "tenant_id");
    requireText(env, "env");
    Objects.requireNonNull(backendType, "backend_type");
    Objects.requireNonNull(createdAt, "created_at");
    if (!ANALYTICS_STORE.equals(resourceKind)) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_RESOURCE_KIND,
          "resource_kind must be " + ANALYTICS_STORE + " (got " + resourceKind + ").");
    }
    config = checkedConfig(backendType, Objects.requireNonNull(config, "config"));
  }

  /** @return config with secret values replaced by {@link #REDACTED}; safe for responses and logs */
  public Map<String, String> redactedConfig() {
    TreeMap<String, String> shown = new TreeMap<>(config);
    backendType.secretKeys().forEach(k -> shown.computeIfPresent(k, (key, v) -> REDACTED));
    return java.util.Collections.unmodifiableMap(shown);
  }

  /** @return true when this route answers the lookup (kind, tenant, env) */
  public boolean serves(String kind, String tenant, String environment) {
    return resourceKind.equals(kind) && tenantId.equals(tenant) && env.equals(environment);
  }

  @Override
  public String toString() {
    return "Route[routeId=" + routeId + ", resourceKind=" + resourceKind + ", tenantId=" + tenantId + ", env=" + env
        + ", backendType=" + backendType.wireName() + ", config=" + redactedConfig() + ", required=" + required
        + ", createdAt=" + createdAt + "]";
  }

  private static Map<String, String> checkedConfig(BackendType type, Map<String, String> config) {
    TreeMap<String, String> copy = new TreeMap<>();
    config.forEach((k, v) -> {
      Objects.requireNonNull(k, "config key");
      if (v == null) {
        throw new TallyException(TallyException.Kind.MALFORMED, INVALID_CONFIG, "config." + k + " must not be null.");
      }
      if (!type.requiredKeys().contains(k) && !type.optionalKeys().contains(k)) {
        throw new TallyException(TallyException.Kind.MALFORMED, INVALID_CONFIG,
            "config key " + k + " is not accepted by backend "
            + type.wireName() + " (accepted: " + new java.util.TreeSet<>(accepted(type)) + ").");
      }
      if (BOOLEAN_KEYS.contains(k) && !v.equals("true") && !v.equals("false")) {
        throw new TallyException(TallyException.Kind.MALFORMED, INVALID_CONFIG,
            "config." + k + " must be true or false.");
      }
      copy.put(k, v);
    });
    for (String k : type.requiredKeys()) {
      String v = copy.get(k);
      if (v == null || v.isBlank()) {
        throw new TallyException(TallyException.Kind.MALFORMED, INVALID_CONFIG,
            "backend " + type.wireName() + " requires config." + k + ".");
      }
    }
    BackendConfigRules.check(type, copy);
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static Set<String> accepted(BackendType type) {
    java.util.Set<String> all = new java.util.HashSet<>(type.requiredKeys());
    all.addAll(type.optionalKeys());
    return all;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_ROUTE, field + " must not be blank.");
    }
  }
}
