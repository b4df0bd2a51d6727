package io.tally.analytics.adapter.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The verification keys a {@link JwtAuthenticator} may use, loaded once from configured sources only: an
 * HS256 shared secret, a PEM public key file (RSA or EC P-256), or a JWKS file. Keys named inside a token
 * ({@code jku}, {@code x5u}, {@code jwk}) are never fetched or trusted.
 */
public final class JwtKeys {
  /** HS256 needs a secret at least as long as its hash (RFC 7518 §3.2). */
  public static final int MIN_SECRET_BYTES = 32;

  private record Key(JWSAlgorithm algorithm, Optional<String> keyId, JWSVerifier verifier) {}

  private final List<Key> keys;

  private JwtKeys(List<Key> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no JWT verification key configured");
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * @param hs256Secret shared secret for HS256, at least {@value #MIN_SECRET_BYTES} bytes
   * @param publicKeyPem a file holding one {@code -----BEGIN PUBLIC KEY-----} block (RSA or EC P-256)
   * @param jwksFile a local JWKS file; its RSA and EC public keys are used
   * @return the key set
   * @throws IllegalArgumentException when a source is unreadable or yields no usable key
   */
  public static JwtKeys load(Optional<String> hs256Secret, Optional<Path> publicKeyPem, Optional<Path> jwksFile) {
    List<Key> keys = new ArrayList<>();
    try {
      if (hs256Secret.isPresent()) {
        keys.add(hmac(hs256Secret.get().getBytes(StandardCharsets.UTF_8)));
      }
      if (publicKeyPem.isPresent()) {
        keys.add(fromPublicKey(readPem(publicKeyPem.get()), Optional.empty()));
      }
      if (jwksFile.isPresent()) {
        for (JWK jwk : JWKSet.load(jwksFile.get().toFile()).getKeys()) {
          fromJwk(jwk).ifPresent(keys::add);
        }
      }
    } catch (IOException | ParseException | JOSEException e) {
      throw new IllegalArgumentException("cannot load JWT key: " + e.getMessage(), e);
    }
    return new JwtKeys(keys);
  }

  /** @return the verifiers that may check a token signed with {@code algorithm} and carrying {@code keyId} */
  List<JWSVerifier> candidates(JWSAlgorithm algorithm, Optional<String> keyId) {
    return keys.stream()
        .filter(k -> k.algorithm().equals(algorithm))
        .filter(k -> keyId.isEmpty() || k.keyId().isEmpty() || k.keyId().equals(keyId))
        .map(Key::verifier)
        .toList();
  }

  private static Key hmac(byte[] secret) throws JOSEException {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new Key(JWSAlgorithm.HS256, Optional.empty(), new MACVerifier(secret));
  }

  private static Optional<Key> fromJwk(JWK jwk) throws JOSEException {
    Optional<String> kid = Optional.ofNullable(jwk.getKeyID());
    if (jwk instanceof RSAKey rsa) {
      return Optional.of(fromPublicKey(rsa.toRSAPublicKey(), kid));
    }
    if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
      return Optional.of(fromPublicKey(ec.toECPublicKey(), kid));
    }
    return Optional.empty();
  }

  private static Key fromPublicKey(PublicKey key, Optional<String> kid) throws JOSEException {
    if (key instanceof RSAPublicKey rsa) {
      return new Key(JWSAlgorithm.RS256, kid, new RSASSAVerifier(rsa));
    }
    if (key instanceof ECPublicKey ec) {
      return new Key(JWSAlgorithm.ES256, kid, new ECDSAVerifier(ec));
    }
    throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
  }

  private static PublicKey readPem(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PUBLIC KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PUBLIC KEY-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(file + " holds no BEGIN PUBLIC KEY block");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException notThisAlgorithm) {
        // try the next key type
      }
    }
    throw new IllegalArgumentException(file + " is neither an RSA nor an EC public key");
  }
}
