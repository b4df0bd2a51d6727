package io.tally.analytics.adapter.http;

import io.tally.analytics.core.rbac.Actor;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the actor from {@code X-Actor-Subject}, {@code X-Actor-Roles}, {@code X-Actor-Orgs} and
 * {@code X-Actor-Tenants}, set by a gateway that has already authenticated the caller. Because anyone can send
 * such headers, they are believed only from loopback or from an address inside the configured proxy allowlist.
 * How list entries become organisation and tenant memberships: {@link ActorScopes}.
 */
public final class TrustedHeadersAuthenticator implements Authenticator {
  /** Subject header. */
  public static final String SUBJECT = "X-Actor-Subject";
  /** Comma-separated roles header. */
  public static final String ROLES = "X-Actor-Roles";
  /** Comma-separated organisations (UUIDs; other entries name tenants); {@code *} marks a platform operator. */
  public static final String ORGS = "X-Actor-Orgs";
  /** Comma-separated AN-01 tenants. */
  public static final String TENANTS = "X-Actor-Tenants";
  /** The org list entry that grants platform-wide scope. */
  public static final String PLATFORM = ActorScopes.PLATFORM;

  private static final Pattern SAFE_VALUE = Pattern.compile("[\\x21-\\x7E]{1,256}");

  private final List<CidrBlock> trustedProxies;

  /** @param trustedProxies networks (besides loopback) whose {@code X-Actor-*} headers are believed */
  public TrustedHeadersAuthenticator(List<CidrBlock> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  @Override
  public Actor authenticate(CallerRequest request) {
    Optional<String> subject = request.header(SUBJECT).map(String::trim).filter(s -> !s.isEmpty());
    boolean carriesIdentity = subject.isPresent() || request.header(ROLES).isPresent()
        || request.header(ORGS).isPresent() || request.header(TENANTS).isPresent();
    if (carriesIdentity && !isTrusted(request.remoteAddress())) {
      throw new AuthenticationException(AuthenticationException.UNTRUSTED_SOURCE,
          "X-Actor-* headers are accepted only from loopback or TRUSTED_PROXY_CIDRS");
    }
    String who = subject.orElseThrow(() -> new AuthenticationException(AuthenticationException.UNAUTHENTICATED,
        "Missing " + SUBJECT + " header"));
    if (!SAFE_VALUE.matcher(who).matches()) {
      throw new AuthenticationException(AuthenticationException.UNAUTHENTICATED,
          SUBJECT + " must be 1-256 visible ASCII characters");
    }
    Set<String> roles = list(request.header(ROLES));
    ActorScopes scopes = ActorScopes.of(list(request.header(ORGS)), list(request.header(TENANTS)));
    return new Actor(who, roles, scopes.orgs(), scopes.tenants(), scopes.platformOperator());
  }

  /** @return true for loopback peers and peers inside an allowlisted network */
  public boolean isTrusted(String remoteAddress) {
    Optional<InetAddress> peer = CidrBlock.parseAddress(stripBrackets(remoteAddress));
    return peer.isPresent()
        && (peer.get().isLoopbackAddress() || trustedProxies.stream().anyMatch(b -> b.contains(peer.get())));
  }

  private static String stripBrackets(String address) {
    return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
  }

  static Set<String> list(Optional<String> header) {
    return header.map(h -> Arrays.stream(h.split(","))
            .map(String::trim)
            .filter(SAFE_VALUE.asMatchPredicate())
            .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }
}
