package io.tally.analytics.adapter.http;

import io.tally.analytics.core.rbac.OrgScope;
import io.tally.analytics.core.rbac.TenantScope;
import io.tally.analytics.core.usage.UsageEventRules;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The memberships an authenticator read from the wire ({@code X-Actor-Orgs} / {@code X-Actor-Tenants}, or the
 * {@code orgs} / {@code tenants} claims), typed once here.
 *
 * <p>An organisation is always a UUID, so an org-list entry that is a UUID names an organisation and nothing else
 * (issue 8: it used to grant the AN-01 tenant of the same id too). An org-list entry that is not a UUID cannot
 * name an organisation; it is read as a tenant, as clients of the first releases send their tenants there
 * ({@code X-Actor-Orgs: t_demo}). Tenants whose id looks like a UUID are granted through the tenant list only.
 * {@code *} in the org list marks a platform operator.
 *
 * @param orgs organisation memberships
 * @param tenants tenant memberships
 * @param platformOperator true when the org list holds {@code *}
 */
record ActorScopes(Set<OrgScope> orgs, Set<TenantScope> tenants, boolean platformOperator) {
  /** The org-list entry that grants platform-wide scope. */
  static final String PLATFORM = "*";

  ActorScopes {
    orgs = Set.copyOf(orgs);
    tenants = Set.copyOf(tenants);
  }

  /**
   * @param orgEntries the org list, trimmed, without empty entries
   * @param tenantEntries the tenant list, trimmed, without empty entries
   * @return the typed memberships
   */
  static ActorScopes of(Collection<String> orgEntries, Collection<String> tenantEntries) {
    Set<OrgScope> orgs = new HashSet<>();
    Set<TenantScope> tenants = new HashSet<>();
    boolean operator = false;
    for (String entry : orgEntries) {
      if (entry.equals(PLATFORM)) {
        operator = true;
      } else if (UsageEventRules.isCanonicalUuid(entry)) {
        orgs.add(new OrgScope(entry.toLowerCase(Locale.ROOT)));
      } else {
        tenants.add(new TenantScope(entry));
      }
    }
    for (String entry : tenantEntries) {
      if (!entry.equals(PLATFORM)) {
        tenants.add(new TenantScope(entry));
      }
    }
    return new ActorScopes(orgs, tenants, operator);
  }
}
