package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.export.DownloadLinkSigner.Verdict;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownloadLinkSignerTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private final DownloadLinkSigner signer = new DownloadLinkSigner(KEY);
  private final long expires = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

  @Test
  void aLinkIsValidUntilItsLastSecondThenExpired() {
    String sig = signer.sign("exports/a.csv", expires);
    assertThat(sig).matches("[0-9a-f]{64}");
    assertThat(signer.verify("exports/a.csv", expires, sig, Instant.ofEpochSecond(expires))).isEqualTo(Verdict.VALID);
    assertThat(signer.verify("exports/a.csv", expires, sig, Instant.ofEpochSecond(expires + 1)))
        .isEqualTo(Verdict.EXPIRED);
  }

  @Test
  void anyChangeToKeyExpiryOrSignatureIsTampering() {
    String sig = signer.sign("exports/a.csv", expires);
    Instant before = Instant.ofEpochSecond(expires - 10);
    assertThat(signer.verify("exports/b.csv", expires, sig, before)).isEqualTo(Verdict.TAMPERED);
    assertThat(signer.verify("exports/a.csv", expires + 3600, sig, before)).isEqualTo(Verdict.TAMPERED);
    char[] flipped = sig.toCharArray();
    flipped[10] = flipped[10] == '0' ? '1' : '0';
    assertThat(signer.verify("exports/a.csv", expires, new String(flipped), before)).isEqualTo(Verdict.TAMPERED);
    assertThat(signer.verify("exports/a.csv", expires, "", before)).isEqualTo(Verdict.TAMPERED);
    byte[] otherKey = Arrays.copyOf(KEY, KEY.length);
    otherKey[0] ^= 1;
    assertThat(new DownloadLinkSigner(otherKey).verify("exports/a.csv", expires, sig, before))
        .isEqualTo(Verdict.TAMPERED);
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> new DownloadLinkSigner(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
