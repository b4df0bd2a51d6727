package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.OrgScope;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.core.rbac.TenantScope;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
  static final String ISS = "https://issuer.example";
  static final String AUD = "tally";
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  static RSAKey rsa;
  static RSAKey attackerRsa;
  static ECKey ec;
  static Path pem;
  static Path jwks;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    rsa = new RSAKeyGenerator(2048).generate();
    attackerRsa = new RSAKeyGenerator(2048).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    pem = dir.resolve("pub.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(ec.toPublicJWK()).toString());
  }

  static JwtAuthenticator authenticator() {
    JwtKeys keys = JwtKeys.load(Optional.of(SECRET), Optional.of(pem), Optional.of(jwks));
    return new JwtAuthenticator(keys, ISS, AUD, Duration.ofSeconds(30), () -> NOW);
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("alice").issuer(ISS).audience(AUD)
        .expirationTime(Date.from(NOW.plusSeconds(300)))
        .claim("roles", List.of("admin")).claim("orgs", List.of("org-1", "org-2"));
  }

  static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String hs256(JWTClaimsSet claims) throws Exception {
    return sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(SECRET));
  }

  static Actor authenticate(String token) {
    return authenticator().authenticate(new CallerRequest("203.0.113.1",
        name -> name.equalsIgnoreCase("Authorization") ? "Bearer " + token : null));
  }

  static String failureCode(String token) {
    try {
      authenticate(token);
      return "accepted";
    } catch (AuthenticationException e) {
      return e.errorCode();
    }
  }

  @Test
  void hs256TokenYieldsTheActor() throws Exception {
    Actor actor = authenticate(hs256(claims().build()));
    assertThat(actor.subject()).isEqualTo("alice");
    assertThat(actor.roles()).containsExactly("admin");
    assertThat(actor.tenants()).as("org entries that are not UUIDs name tenants")
        .containsExactlyInAnyOrder(new TenantScope("org-1"), new TenantScope("org-2"));
    assertThat(actor.platformOperator()).isFalse();
  }

  @Test
  void orgsAndTenantsClaimsAreTypedApart() throws Exception {
    String org = "00000000-0000-0000-0000-000000000001";
    Actor actor = authenticate(hs256(claims().claim("orgs", List.of(org)).claim("tenants", "t_a t_b").build()));
    assertThat(actor.orgs()).containsExactly(new OrgScope(org));
    assertThat(actor.tenants()).containsExactlyInAnyOrder(new TenantScope("t_a"), new TenantScope("t_b"));
    assertThat(actor.isMemberOf(ResourceScope.tenant(org))).isFalse();
  }

  @Test
  void rs256FromPemAndEs256FromJwksVerify() throws Exception {
    assertThat(authenticate(sign(new JWSHeader(JWSAlgorithm.RS256), claims().build(), new RSASSASigner(rsa)))
        .subject()).isEqualTo("alice");
    JWSHeader ecHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build();
    assertThat(authenticate(sign(ecHeader, claims().build(), new ECDSASigner(ec))).subject()).isEqualTo("alice");
  }

  @Test
  void platformOperatorFromStarOrg() throws Exception {
    Actor actor = authenticate(hs256(claims().claim("orgs", List.of("*")).build()));
    assertThat(actor.platformOperator()).isTrue();
    assertThat(actor.hasAnyScope()).isFalse();
  }

  @Test
  void rolesAsASpaceSeparatedStringAreAccepted() throws Exception {
    assertThat(authenticate(hs256(claims().claim("roles", "a b,c").build())).roles()).containsExactlyInAnyOrder("a",
        "b", "c");
  }

  @Test
  void algNoneIsRejected() {
    String unsigned = new PlainJWT(claims().build()).serialize();
    assertThat(failureCode(unsigned)).isEqualTo("auth.invalid_token");
    String[] parts = unsigned.split("\\.");
    assertThat(failureCode(parts[0] + "." + parts[1] + ".c2lnbmF0dXJl")).isEqualTo("auth.invalid_token");
  }

  @Test
  void algorithmsOutsideTheAllowlistAreRejected() throws Exception {
    String hs384 = sign(new JWSHeader(JWSAlgorithm.HS384), claims().build(), new MACSigner(SECRET + SECRET));
    assertThat(failureCode(hs384)).isEqualTo("auth.invalid_token");
  }

  @Test
  void wrongAudienceIsRejected() throws Exception {
    assertThat(failureCode(hs256(claims().audience("someone-else").build()))).isEqualTo("auth.invalid_token");
    assertThat(failureCode(hs256(claims().audience(List.of("x", AUD)).build()))).isEqualTo("accepted");
  }

  @Test
  void wrongIssuerIsRejected() throws Exception {
    assertThat(failureCode(hs256(claims().issuer("https://evil.example").build()))).isEqualTo("auth.invalid_token");
  }

  @Test
  void expiredTokenIsRejectedButSmallSkewIsTolerated() throws Exception {
    assertThat(failureCode(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build())))
        .isEqualTo("auth.invalid_token");
    assertThat(failureCode(hs256(claims().expirationTime(Date.from(NOW.minusSeconds(10))).build())))
        .isEqualTo("accepted");
  }

  @Test
  void tokenWithoutExpIsRejected() throws Exception {
    assertThat(failureCode(hs256(claims().expirationTime(null).build()))).isEqualTo("auth.invalid_token");
  }

  @Test
  void notYetValidTokenIsRejected() throws Exception {
    assertThat(failureCode(hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build())))
        .isEqualTo("auth.invalid_token");
    assertThat(failureCode(hs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(5))).build())))
        .isEqualTo("accepted");
  }

  @Test
  void jkuX5uAndEmbeddedJwkHeadersAreIgnored() throws Exception {
    JWSHeader hostile = new JWSHeader.Builder(JWSAlgorithm.RS256)
        .jwkURL(URI.create("http://127.0.0.1:1/attacker-jwks.json"))
        .x509CertURL(URI.create("http://127.0.0.1:1/attacker.pem"))
        .jwk(attackerRsa.toPublicJWK())
        .type(JOSEObjectType.JWT).build();
    assertThat(failureCode(sign(hostile, claims().build(), new RSASSASigner(attackerRsa))))
        .isEqualTo("auth.invalid_token");
    // The same headers on a token signed with the configured key change nothing: they are simply not read.
    assertThat(failureCode(sign(hostile, claims().build(), new RSASSASigner(rsa)))).isEqualTo("accepted");
  }

  @Test
  void hs256SignedWithThePublicKeyBytesIsRejected() throws Exception {
    JwtKeys rsaOnly = JwtKeys.load(Optional.empty(), Optional.of(pem), Optional.empty());
    JwtAuthenticator auth = new JwtAuthenticator(rsaOnly, ISS, AUD, Duration.ZERO, () -> NOW);
    String confused = sign(new JWSHeader(JWSAlgorithm.HS256), claims().build(),
        new MACSigner(Files.readAllBytes(pem)));
    assertThatThrownBy(() -> auth.authenticate(new CallerRequest("::1", n -> "Bearer " + confused)))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void unknownKeyIdIsRejected() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("other").build();
    assertThat(failureCode(sign(header, claims().build(), new ECDSASigner(ec)))).isEqualTo("auth.invalid_token");
  }

  @Test
  void missingOrMalformedAuthorization() {
    JwtAuthenticator auth = authenticator();
    assertThatThrownBy(() -> auth.authenticate(new CallerRequest("::1", n -> null)))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.unauthenticated");
    assertThatThrownBy(() -> auth.authenticate(new CallerRequest("::1", n -> "Basic dXNlcjpwdw==")))
        .extracting(e -> ((AuthenticationException) e).errorCode()).isEqualTo("auth.invalid_token");
    assertThat(failureCode("not.a.jwt")).isEqualTo("auth.invalid_token");
    assertThat(failureCode("")).isEqualTo("auth.invalid_token");
  }

  @Test
  void missingSubjectIsRejected() throws Exception {
    assertThat(failureCode(hs256(claims().subject(null).build()))).isEqualTo("auth.invalid_token");
  }

  @Test
  void shortSecretAndNoKeysAreConfigurationErrors() {
    assertThatThrownBy(() -> JwtKeys.load(Optional.of("short"), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
    assertThatThrownBy(() -> JwtKeys.load(Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenClaimsOfWrongTypeAreRejected() throws Exception {
    assertThat(failureCode(hs256(claims().claim("roles", Map.of("a", 1)).build()))).isEqualTo("auth.invalid_token");
  }
}
