package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.out.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link ObjectStore} must have. Subclass and return a store (keys are unique per test); override
 * {@link #fetch} when the store's signed URLs are not plain HTTP(S).
 */
public abstract class ObjectStoreContract {
  /** Larger than two S3 parts of 5 MiB, so a multipart store really uploads several parts. */
  protected static final int LARGE_OBJECT_BYTES = 12 * 1024 * 1024 + 123;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ObjectStore store;
  private final String prefix = "contract/" + System.nanoTime() + "/";

  /** @return a store; it may hold other objects */
  protected abstract ObjectStore newStore();

  /**
   * What a client fetching a signed URL gets.
   *
   * @param status HTTP status (or the status the store's server answers for the error)
   * @param body the body
   * @param contentDisposition the {@code Content-Disposition} header, if any
   */
  protected record Fetched(int status, byte[] body, Optional<String> contentDisposition) {
    /** @return the answer of a {@link DownloadExportFile} to a {@code memory:<key>?expires=…&signature=…} URL */
    public static Fetched through(DownloadExportFile files, String url) {
      String rest = url.substring(url.indexOf(':') + 1);
      String key = rest.substring(0, rest.indexOf('?'));
      String expires = null;
      String signature = null;
      for (String pair : rest.substring(rest.indexOf('?') + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals("expires")) {
          expires = kv[1];
        } else if (kv[0].equals("signature")) {
          signature = kv[1];
        }
      }
      try (InputStream in = files.open(key, expires, signature).body()) {
        return new Fetched(200, in.readAllBytes(), Optional.of("attachment; filename=\""
            + key.substring(key.lastIndexOf('/') + 1) + "\""));
      } catch (TallyException e) {
        return new Fetched(e.errorCode().equals(DownloadExportFile.LINK_EXPIRED) ? 410 : 403, new byte[0],
            Optional.empty());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** @return what a plain HTTP client gets for {@code url} (no redirects followed) */
  protected Fetched fetch(String url) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Fetched(r.statusCode(), r.body(), r.headers().firstValue("Content-Disposition"));
  }

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  /** @return the store under test */
  protected ObjectStore store() {
    return store;
  }

  /** @return this test's unique key prefix */
  protected String prefix() {
    return prefix;
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
  void anEmptyObjectIsAnObject() throws IOException {
    String key = prefix + "empty.csv";
    assertThat(store.put(key, "text/csv", out -> { })).isZero();
    assertThat(store.exists(key)).isTrue();
    assertThat(read(store.open(key))).isEmpty();
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
  void aLargeObjectGoesUpInPartsAndComesBackByteForByte() throws Exception {
    String key = prefix + "large.bin";
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    Random random = new Random(42);
    long written = store.put(key, "application/octet-stream", out -> {
      byte[] chunk = new byte[8191];
      for (int left = LARGE_OBJECT_BYTES; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        int n = Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        sent.update(chunk, 0, n);
      }
    });
    assertThat(written).isEqualTo(LARGE_OBJECT_BYTES);
    MessageDigest back = MessageDigest.getInstance("SHA-256");
    long size = 0;
    try (InputStream in = store.open(key)) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; size += n) {
        back.update(buf, 0, n);
      }
    }
    assertThat(size).isEqualTo(LARGE_OBJECT_BYTES);
    assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
  }

  @Test
  void aPutThatFailsMidwayLeavesNoObjectAndNoIncompleteUpload() {
    String key = prefix + "aborted.csv";
    assertThatThrownBy(() -> store.put(key, "text/csv", out -> {
      byte[] mb = new byte[1024 * 1024];
      for (int i = 0; i < 7; i++) {
        out.write(mb);
      }
      throw new IOException("source failed after 7 MiB");
    })).isInstanceOf(RuntimeException.class);
    assertThat(store.exists(key)).isFalse();
    assertThat(store.list(prefix)).isEmpty();
    assertThat(store.discardIncomplete(prefix)).as("incomplete uploads left behind").isZero();
  }

  @Test
  void aFailedReplacementKeepsThePreviousObject() throws IOException {
    String key = prefix + "kept.csv";
    store.put(key, "text/csv", out -> out.write(new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> store.put(key, "text/csv", out -> {
      out.write(9);
      throw new IllegalStateException("boom");
    })).isInstanceOf(RuntimeException.class);
    assertThat(read(store.open(key))).containsExactly(1, 2, 3);
  }

  @Test
  void putReplacesAnExistingObject() throws IOException {
    String key = prefix + "r.csv";
    store.put(key, "text/csv", out -> out.write(new byte[] {1, 2, 3}));
    store.put(key, "text/csv", out -> out.write(new byte[] {9}));
    assertThat(read(store.open(key))).containsExactly(9);
  }

  @Test
  void listShowsCompleteObjectsUnderAPrefixAndDeleteRemovesThem() {
    store.put(prefix + "d/2.csv", "text/csv", out -> out.write('2'));
    store.put(prefix + "d/1.csv", "text/csv", out -> out.write('1'));
    store.put(prefix + "e/3.csv", "text/csv", out -> out.write('3'));
    assertThat(store.list(prefix + "d/")).containsExactly(prefix + "d/1.csv", prefix + "d/2.csv");
    store.delete(prefix + "d/1.csv");
    store.delete(prefix + "d/never-existed.csv");
    assertThat(store.list(prefix + "d/")).containsExactly(prefix + "d/2.csv");
    assertThat(store.exists(prefix + "d/1.csv")).isFalse();
  }

  @Test
  void missingObjectsAreReportedNotInvented() {
    assertThat(store.exists(prefix + "missing")).isFalse();
    assertThatThrownBy(() -> store.open(prefix + "missing")).isInstanceOf(TallyException.class)
        .extracting("errorCode").isEqualTo(ObjectStore.NOT_FOUND);
    assertThat(store.list(prefix + "nothing/")).isEmpty();
  }

  @Test
  void aSignedUrlDownloadsTheObjectAsAnAttachment() throws Exception {
    String key = prefix + "s.csv";
    byte[] csv = "a,b\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8);
    store.put(key, "text/csv; charset=utf-8", out -> out.write(csv));
    Fetched got = fetch(store.signedUrl(key, Duration.ofMinutes(5)));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(csv);
    assertThat(got.contentDisposition()).hasValueSatisfying(d -> assertThat(d).contains("attachment", "s.csv"));
    assertThatThrownBy(() -> store.signedUrl(key, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTamperedSignedUrlIsRefused() throws Exception {
    String key = prefix + "t.csv";
    store.put(key, "text/csv", out -> out.write("CONTENT-OF-T".getBytes(StandardCharsets.UTF_8)));
    store.put(prefix + "u.csv", "text/csv", out -> out.write("CONTENT-OF-U".getBytes(StandardCharsets.UTF_8)));
    String url = store.signedUrl(key, Duration.ofMinutes(5));
    for (String tampered : List.of(flipLastHexDigit(url), url.replace("t.csv", "u.csv"),
        url.replaceFirst("(?i)(expires=)(\\d)", "$19"))) {
      assertThat(tampered).isNotEqualTo(url);
      Fetched got = fetch(tampered);
      assertThat(got.status()).as(tampered).isEqualTo(403);
      assertThat(new String(got.body(), StandardCharsets.UTF_8)).doesNotContain("CONTENT-OF");
    }
  }

  @Test
  void anExpiredSignedUrlIsRefused() throws Exception {
    String key = prefix + "e.csv";
    store.put(key, "text/csv", out -> out.write('x'));
    String url = store.signedUrl(key, Duration.ofSeconds(2));
    assertThat(fetch(url).status()).isEqualTo(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int status = 200;
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      status = fetch(url).status();
    }
    assertThat(status).as("an expired link is refused (403 from S3, 410 from Tally's server)").isIn(403, 410);
  }

  @Test
  void aReachableStoreIsReady() {
    store.checkReady();
  }

  private static String flipLastHexDigit(String url) {
    int i = url.length() - 1;
    while (Character.digit(url.charAt(i), 16) < 0) {
      i--;
    }
    char c = url.charAt(i);
    return url.substring(0, i) + (c == '0' ? '1' : '0') + url.substring(i + 1);
  }
}
