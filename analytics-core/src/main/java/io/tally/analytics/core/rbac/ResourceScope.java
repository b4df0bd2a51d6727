package io.tally.analytics.core.rbac;

import java.util.Objects;

/**
 * The object an action targets, for object-level authorization: an organisation (usage API) or a tenant
 * (AN-01 event store and routes), or the whole platform.
 *
 * @param kind what the id names
 * @param id the organisation UUID or tenant id; {@code "*"} for {@link Kind#PLATFORM}
 */
public record ResourceScope(Kind kind, String id) {

  /** What a scope id names. */
  public enum Kind { ORG, TENANT, PLATFORM }

  /** Validates. */
  public ResourceScope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("scope id must not be blank");
    }
  }

  /** @return {@code org:<id>}, {@code tenant:<id>} or {@code platform:*}, as written to audit records and reasons */
  public String label() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
  }

  /** @return the scope of one organisation */
  public static ResourceScope org(String orgId) {
    return new ResourceScope(Kind.ORG, orgId);
  }

  /** @return the scope of one tenant */
  public static ResourceScope tenant(String tenantId) {
    return new ResourceScope(Kind.TENANT, tenantId);
  }

  /** @return the platform-wide scope (only platform operators pass object checks on it) */
  public static ResourceScope platform() {
    return new ResourceScope(Kind.PLATFORM, "*");
  }
}
