package io.tally.analytics.core.rbac;

import java.util.Arrays;
import java.util.Optional;

/** The RBAC permissions of DESIGN.md §1.3, with their wire names ({@code analytics:usage:read}, …). */
public enum Permission {
  USAGE_READ("analytics:usage:read"),
  RELIABILITY_READ("analytics:reliability:read"),
  EXPORTS_CREATE("analytics:exports:create"),
  EXPORTS_READ("analytics:exports:read"),
  EXPORTS_DOWNLOAD("analytics:exports:download"),
  EVENTS_WRITE("analytics:events:write"),
  STORE_WRITE("analytics:store:write"),
  STORE_READ("analytics:store:read"),
  STORE_DELETE("analytics:store:delete"),
  ROUTING_ADMIN("routing:admin"),
  PRICES_ADMIN("analytics:prices:admin");

  private final String wireName;

  Permission(String wireName) {
    this.wireName = wireName;
  }

  /** @return the name used in tokens, headers and audit records */
  public String wireName() {
    return wireName;
  }

  /**
   * @param wireName a name such as {@code analytics:usage:read}
   * @return the permission, or empty when the name is unknown
   */
  public static Optional<Permission> fromWireName(String wireName) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(wireName)).findFirst();
  }
}
