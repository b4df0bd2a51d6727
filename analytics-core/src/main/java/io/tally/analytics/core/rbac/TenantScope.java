package io.tally.analytics.core.rbac;

import java.util.Objects;

/**
 * Membership of one AN-01 tenant (the event store and its routes act on tenants). A separate type from
 * {@link OrgScope}: a tenant id never grants the organisation that happens to carry the same text.
 *
 * @param tenantId the tenant id, not blank
 */
public record TenantScope(String tenantId) implements Comparable<TenantScope> {
  /** Validates. */
  public TenantScope {
    Objects.requireNonNull(tenantId, "tenantId");
    if (tenantId.isBlank()) {
      throw new IllegalArgumentException("tenantId must not be blank");
    }
  }

  @Override
  public int compareTo(TenantScope other) {
    return tenantId.compareTo(other.tenantId);
  }
}
