package io.tally.analytics.core.rbac;

import java.util.Objects;

/**
 * Membership of one organisation (the usage, reliability and export APIs act on organisations). A separate type
 * from {@link TenantScope}: an organisation id never grants the AN-01 tenant that happens to carry the same text.
 *
 * @param orgId the organisation id, not blank
 */
public record OrgScope(String orgId) implements Comparable<OrgScope> {
  /** Validates. */
  public OrgScope {
    Objects.requireNonNull(orgId, "orgId");
    if (orgId.isBlank()) {
      throw new IllegalArgumentException("orgId must not be blank");
    }
  }

  @Override
  public int compareTo(OrgScope other) {
    return orgId.compareTo(other.orgId);
  }
}
