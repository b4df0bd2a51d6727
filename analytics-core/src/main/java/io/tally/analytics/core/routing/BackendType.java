package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;
import java.util.Locale;
import java.util.Set;

/**
 * The analytics-store backends a route can name, with the {@code config} keys each accepts (DESIGN appendix).
 * Keys marked secret are never echoed back (see {@link Route#redactedConfig()}).
 */
public enum BackendType {
  /**
   * Google Firestore; {@code emulator_host} (with {@code use_emulator=true}) points at the emulator,
   * {@code credentials_json} is a service-account key (secret; application default credentials without it).
   */
  FIRESTORE(Set.of("project_id", "collection_path"),
      Set.of("use_emulator", "emulator_host", "ttl_days", "credentials_json"), Set.of("credentials_json")),
  /**
   * AWS DynamoDB; {@code endpoint_override} (with {@code use_local=true}) points at dynalite; the access key pair
   * is secret (the default AWS credential chain without it).
   */
  DYNAMODB(Set.of("region", "table_name"),
      Set.of("use_local", "endpoint_override", "ttl_days", "access_key_id", "secret_access_key"),
      Set.of("access_key_id", "secret_access_key")),
  /** Azure Cosmos DB; {@code key} is the account key and is secret. */
  COSMOS(Set.of("endpoint", "key", "database_id", "container_id"), Set.of("ttl_days"), Set.of("key")),
  /** The server's own PostgreSQL database: no config keys. */
  POSTGRES(Set.of(), Set.of(), Set.of());

  /** Error code for an unknown backend name. */
  public static final String INVALID_BACKEND = "route.invalid_backend_type";

  private final Set<String> requiredKeys;
  private final Set<String> optionalKeys;
  private final Set<String> secretKeys;

  BackendType(Set<String> requiredKeys, Set<String> optionalKeys, Set<String> secretKeys) {
    this.requiredKeys = requiredKeys;
    this.optionalKeys = optionalKeys;
    this.secretKeys = secretKeys;
  }

  /** @return the lower-case wire name ({@code firestore}, {@code dynamodb}, {@code cosmos}, {@code postgres}) */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return config keys that must be present */
  public Set<String> requiredKeys() {
    return requiredKeys;
  }

  /** @return config keys that may be present */
  public Set<String> optionalKeys() {
    return optionalKeys;
  }

  /** @return config keys whose values are secrets */
  public Set<String> secretKeys() {
    return secretKeys;
  }

  /**
   * @param wireName a name such as {@code dynamodb} (case-insensitive)
   * @return the backend type
   * @throws TallyException {@code route.invalid_backend_type} for anything else
   */
  public static BackendType fromWireName(String wireName) {
    if (wireName != null) {
      for (BackendType t : values()) {
        if (t.wireName().equalsIgnoreCase(wireName.trim())) {
          return t;
        }
      }
    }
    throw new TallyException(TallyException.Kind.INVALID, INVALID_BACKEND,
        "backend_type must be one of firestore, dynamodb, cosmos, postgres (got " + wireName + ").");
  }
}
