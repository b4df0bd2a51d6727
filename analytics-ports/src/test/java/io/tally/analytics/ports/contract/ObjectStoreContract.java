package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link ObjectStore} must have. Subclass and return a store (keys are unique per test). */
public abstract class ObjectStoreContract {
  private ObjectStore store;
  private final String prefix = "contract/" + System.nanoTime() + "/";

  /** @return a store; it may hold other objects */
  protected abstract ObjectStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void putThenOpenReturnsTheSameBytes() throws IOException {
    String key = prefix + "a.csv";
    byte[] csv = "model,requests\r\nllama,3\r\n".getBytes(StandardCharsets.UTF_8);
    assertThat(store.put(key, "text/csv", out -> out.write(csv))).isEqualTo(csv.length);
    assertThat(store.exists(key)).isTrue();
    assertThat(read(store.open(key))).isEqualTo(csv);
  }

  @Test
  void contentIsStreamedInManyWrites() throws IOException {
    String key = prefix + "big.csv";
    byte[] row = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.UTF_8);
    int rows = 50_000;
    long written = store.put(key, "text/csv", out -> {
      for (int i = 0; i < rows; i++) {
        out.write(row);
      }
    });
    assertThat(written).isEqualTo((long) rows * row.length);
    byte[] back = read(store.open(key));
    assertThat(back.length).isEqualTo(rows * row.length);
    assertThat(new String(back, back.length - row.length, row.length, StandardCharsets.UTF_8))
        .isEqualTo(new String(row, StandardCharsets.UTF_8));
  }

  @Test
  void putReplacesAnExistingObject() throws IOException {
    String key = prefix + "r.csv";
    store.put(key, "text/csv", out -> out.write(new byte[] {1, 2, 3}));
    store.put(key, "text/csv", out -> out.write(new byte[] {9}));
    assertThat(read(store.open(key))).containsExactly(9);
  }

  @Test
  void missingObjectsAreReportedNotInvented() {
    assertThat(store.exists(prefix + "missing")).isFalse();
    assertThatThrownBy(() -> store.open(prefix + "missing")).isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo(ObjectStore.NOT_FOUND);
  }

  @Test
  void signedUrlsNameTheObjectAndNeedAPositiveTtl() {
    String key = prefix + "s.csv";
    store.put(key, "text/csv", out -> out.write('x'));
    assertThat(store.signedUrl(key, Duration.ofMinutes(5))).isNotBlank().contains("s.csv");
    assertThatThrownBy(() -> store.signedUrl(key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
