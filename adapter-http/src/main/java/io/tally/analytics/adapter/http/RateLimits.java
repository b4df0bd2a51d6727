package io.tally.analytics.adapter.http;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.OrgScope;
import io.tally.analytics.core.rbac.TenantScope;
import io.tally.analytics.ports.out.TimeSource;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The request budgets of OWASP API4, each a {@link TokenBuckets} keyed so that a caller cannot escape it by
 * changing what it sends (issue 8: the one budget was keyed on the caller-sent subject alone):
 * <ul>
 *   <li><b>principal</b>: the authenticated subject together with its scope (organisations, tenants, platform),
 *       so one subject acting for two organisations has a budget in each;
 *   <li><b>scope</b>: the scope alone, shared by every principal of the same organisations and tenants, so that
 *       rotating subjects inside an organisation does not multiply its budget (default 10 principals' worth);
 *   <li><b>client address</b>: requests that fail authentication (401) or are refused as ambiguous (400) before
 *       anyone is authenticated, per connection peer address (an IPv6 peer by its /64, which one host usually
 *       owns whole), so that guessing credentials is limited too.
 * </ul>
 * An authenticated request takes one token from its scope's and its principal's budgets; a refused one takes one
 * from its address's.
 */
public final class RateLimits {
  private final TokenBuckets principals;
  private final TokenBuckets scopes;
  private final TokenBuckets addresses;

  /**
   * @param budgets requests per minute (and burst) of each kind; 0 disables that kind
   * @param clock time source
   */
  public RateLimits(Budgets budgets, TimeSource clock) {
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(clock, "clock");
    this.principals = new TokenBuckets(budgets.perPrincipal(), clock);
    this.scopes = new TokenBuckets(budgets.perScope(), clock);
    this.addresses = new TokenBuckets(budgets.perClientAddress(), clock);
  }

  /** @return limits that never limit */
  public static RateLimits unlimited() {
    return new RateLimits(new Budgets(0, 0, 0), () -> java.time.Instant.EPOCH);
  }

  /**
   * Charges an authenticated request.
   *
   * @param actor the authenticated caller
   * @throws RateLimitedException when its scope or its principal has no token left
   */
  public void admit(Actor actor) {
    scopes.acquire(scopeKey(actor));
    principals.acquire(principalKey(actor));
  }

  /**
   * Charges a request refused before anyone was authenticated.
   *
   * @param clientAddress the connection's peer address
   * @throws RateLimitedException when the address has no token left
   */
  public void chargeRefused(String clientAddress) {
    addresses.acquire(addressKey(clientAddress));
  }

  /** @return {@code <scope key> <subject>}: the principal as authenticated, with what it may act on */
  static String principalKey(Actor actor) {
    return scopeKey(actor) + " " + actor.subject();
  }

  /** @return the actor's scope, canonical: {@code *} for a platform operator, else sorted orgs and tenants */
  static String scopeKey(Actor actor) {
    if (actor.platformOperator()) {
      return "*";
    }
    return "orgs=" + actor.orgs().stream().map(OrgScope::orgId).sorted().collect(Collectors.joining(","))
        + ";tenants=" + actor.tenants().stream().map(TenantScope::tenantId).sorted().collect(Collectors.joining(","));
  }

  /** @return the address itself, or for IPv6 the /64 it belongs to */
  static String addressKey(String clientAddress) {
    String bare = clientAddress.startsWith("[") && clientAddress.endsWith("]")
        ? clientAddress.substring(1, clientAddress.length() - 1) : clientAddress;
    Optional<InetAddress> parsed = CidrBlock.parseAddress(bare);
    if (parsed.isPresent() && parsed.get() instanceof Inet6Address v6 && !v6.isLoopbackAddress()) {
      byte[] prefix = Arrays.copyOf(v6.getAddress(), 8);
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < prefix.length; i += 2) {
        key.append(String.format("%02x%02x:", prefix[i], prefix[i + 1]));
      }
      return key.append(":/64").toString();
    }
    return parsed.map(InetAddress::getHostAddress).orElse(bare);
  }

  /**
   * Requests per minute, and burst, of each kind of budget; 0 turns that kind off.
   *
   * @param perPrincipal {@code RATE_LIMIT_PER_MINUTE}
   * @param perScope {@code RATE_LIMIT_PER_SCOPE_PER_MINUTE}
   * @param perClientAddress {@code RATE_LIMIT_PER_ADDRESS_PER_MINUTE}, for refused requests
   */
  public record Budgets(int perPrincipal, int perScope, int perClientAddress) {
    /** Validates. */
    public Budgets {
      if (perPrincipal < 0 || perScope < 0 || perClientAddress < 0) {
        throw new IllegalArgumentException("budgets must be >= 0");
      }
    }
  }
}
