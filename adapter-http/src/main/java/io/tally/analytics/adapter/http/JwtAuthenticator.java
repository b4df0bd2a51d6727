package io.tally.analytics.adapter.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.out.TimeSource;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bearer-token authentication. The rules (DESIGN.md §1.3): only HS256, RS256 and ES256 signatures, never
 * {@code none}; {@code exp} required and {@code nbf} honoured with a small skew; {@code iss} and {@code aud}
 * must equal the configuration; keys come only from {@link JwtKeys}, so {@code jku}/{@code x5u}/{@code jwk}
 * headers are ignored. Claims: {@code sub}, {@code roles}, {@code orgs} and {@code tenants} (arrays, or
 * comma/space separated strings); an org of {@code *} marks a platform operator. How the lists become
 * organisation and tenant memberships: {@link ActorScopes}.
 */
public final class JwtAuthenticator implements Authenticator {
  /** Accepted signature algorithms. */
  public static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256);
  /** Default tolerance for clocks that disagree. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

  private final JwtKeys keys;
  private final String issuer;
  private final String audience;
  private final Duration skew;
  private final TimeSource clock;

  /**
   * @param keys verification keys from configured sources
   * @param issuer required {@code iss}
   * @param audience required member of {@code aud}
   * @param skew clock tolerance for {@code exp} and {@code nbf}
   * @param clock time source
   */
  public JwtAuthenticator(JwtKeys keys, String issuer, String audience, Duration skew, TimeSource clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.issuer = requireText(issuer, "issuer");
    this.audience = requireText(audience, "audience");
    this.skew = Objects.requireNonNull(skew, "skew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Actor authenticate(CallerRequest request) {
    String header = request.header("Authorization").orElseThrow(() -> new AuthenticationException(
        AuthenticationException.UNAUTHENTICATED, "Missing Authorization: Bearer token"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw invalid("Authorization header must be 'Bearer <token>'");
    }
    SignedJWT jwt = signed(header.substring(7).trim());
    verifySignature(jwt);
    return actorFrom(claims(jwt));
  }

  private SignedJWT signed(String token) {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw invalid("Token is not a JWT");
    }
    if (!(parsed instanceof SignedJWT signed)) {
      throw invalid("Unsigned or encrypted tokens are not accepted");
    }
    return signed;
  }

  private void verifySignature(SignedJWT jwt) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw invalid("Signature algorithm " + alg + " is not allowed");
    }
    List<JWSVerifier> candidates = keys.candidates(alg, Optional.ofNullable(jwt.getHeader().getKeyID()));
    for (JWSVerifier verifier : candidates) {
      try {
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a malformed signature for this key: try the next one, fail below if none verifies
      }
    }
    throw invalid("Signature does not verify with any configured key");
  }

  private JWTClaimsSet claims(SignedJWT jwt) {
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw invalid("Token claims are not a JSON object");
    }
    Instant now = clock.now();
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.minus(skew).isBefore(exp.toInstant())) {
      throw invalid("Token is expired or has no exp");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      throw invalid("Token is not valid yet");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw invalid("Token issuer does not match");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
      throw invalid("Token audience does not match");
    }
    return claims;
  }

  private static Actor actorFrom(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw invalid("Token has no sub");
    }
    Set<String> roles = stringSet(claims.getClaim("roles"));
    ActorScopes scopes = ActorScopes.of(stringSet(claims.getClaim("orgs")), stringSet(claims.getClaim("tenants")));
    return new Actor(subject, roles, scopes.orgs(), scopes.tenants(), scopes.platformOperator());
  }

  private static Set<String> stringSet(Object claim) {
    if (claim == null) {
      return Set.of();
    }
    if (claim instanceof String text) {
      return java.util.Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
    if (claim instanceof Collection<?> values) {
      return values.stream().filter(String.class::isInstance).map(String.class::cast).map(String::trim)
          .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
    throw invalid("roles and orgs claims must be arrays of strings");
  }

  private static AuthenticationException invalid(String message) {
    return new AuthenticationException(AuthenticationException.INVALID_TOKEN, message);
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
