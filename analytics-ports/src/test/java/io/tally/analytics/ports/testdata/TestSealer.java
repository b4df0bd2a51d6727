package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A reversible, context-checking {@link SecretSealer} for tests of stores (not encryption: the server uses AES-GCM).
 * Sealed values never contain the plaintext, so a test can search a column for it.
 */
public final class TestSealer implements SecretSealer {
  private static final String PREFIX = "test-sealed:";

  @Override
  public String seal(String plaintext, String context) {
    byte[] b = (context + "\u0000" + plaintext).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      b[i] ^= 0x5a;
    }
    return PREFIX + Base64.getEncoder().encodeToString(b);
  }

  @Override
  public String open(String stored, String context) {
    if (!stored.startsWith(PREFIX)) {
      return stored;
    }
    byte[] b = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    for (int i = 0; i < b.length; i++) {
      b[i] ^= 0x5a;
    }
    String[] parts = new String(b, StandardCharsets.UTF_8).split("\u0000", 2);
    if (!parts[0].equals(context)) {
      throw new TallyException(TallyException.Kind.FAULT, "route_secrets.cannot_open", "sealed for another context");
    }
    return parts[1];
  }

  @Override
  public boolean needsResealing(String stored) {
    return !stored.startsWith(PREFIX);
  }
}
