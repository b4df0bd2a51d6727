package io.tally.analytics.adapter.localfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.ports.contract.ObjectStoreContract;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.in.DownloadExportFile.FileDownload;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.service.DownloadExportFileService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract, with the store's signed links fetched over HTTP from a small server that answers them exactly as
 * Tally's download route does (the route itself is tested in adapter-http and end to end in app).
 */
class LocalDirectoryObjectStoreTest extends ObjectStoreContract {
  private static final DownloadLinkSigner SIGNER = new DownloadLinkSigner("k".repeat(32).getBytes());
  private static final String PATH = "/analytics/v1/downloads/";

  @TempDir
  Path root;
  private HttpServer server;
  private LocalDirectoryObjectStore store;

  @Override
  protected ObjectStore newStore() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    store = new LocalDirectoryObjectStore(root, SIGNER,
        () -> "http://127.0.0.1:" + server.getAddress().getPort() + PATH, Instant::now);
    DownloadExportFile files = new DownloadExportFileService(SIGNER, store, Instant::now);
    server.createContext(PATH, exchange -> serve(files, exchange));
    server.start();
    return store;
  }

  private static void serve(DownloadExportFile files, HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String key = uri.getPath().substring(PATH.length());
    String expires = null;
    String signature = null;
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      expires = kv[0].equals("expires") ? kv[1] : expires;
      signature = kv[0].equals("signature") ? kv[1] : signature;
    }
    try {
      FileDownload d = files.open(key, expires, signature);
      exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
      exchange.sendResponseHeaders(200, 0);
      try (InputStream in = d.body(); OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    } catch (TallyException e) {
      int status = switch (e.errorCode()) {
        case DownloadExportFile.LINK_EXPIRED -> 410;
        case DownloadExportFile.LINK_INVALID -> 403;
        default -> 404;
      };
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    }
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void anExpiredLinkIsGoneAndATamperedOneForbidden() throws Exception {
    store.put("exports/x.csv", "text/csv", out -> out.write('x'));
    String url = store.signedUrl("exports/x.csv", Duration.ofSeconds(1));
    String tampered = url.replace("exports/x.csv", "exports/y.csv");
    assertThat(fetch(tampered).status()).isEqualTo(403);
    Thread.sleep(2_100);
    assertThat(fetch(url).status()).isEqualTo(410);
  }

  @Test
  void discardIncompleteRemovesWhatAKilledWriterLeft() throws IOException {
    Path dir = Files.createDirectories(root.resolve("exports/org/job/1"));
    Files.writeString(dir.resolve(".part-123.tmp"), "half a file");
    store.put("exports/org/job/1/done.csv", "text/csv", out -> out.write('1'));
    assertThat(store.list("exports/org/job/")).containsExactly("exports/org/job/1/done.csv");
    assertThat(store.discardIncomplete("exports/org/job/")).isEqualTo(1);
    assertThat(store.discardIncomplete("exports/org/job/")).isZero();
    assertThat(Files.exists(dir.resolve("done.csv"))).isTrue();
  }

  @Test
  void keysCannotEscapeTheRoot() {
    assertThatThrownBy(() -> store.exists("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.exists("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.signedUrl("a/../../b", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileInTheWayIsReportedAsUnavailable() throws IOException {
    Files.writeString(root.resolve("blocker"), "a file where a directory should be");
    assertThatThrownBy(() -> store.put("blocker/x.csv", "text/csv", out -> out.write('x')))
        .isInstanceOf(TallyException.class).extracting("errorCode").isEqualTo(ObjectStore.UNAVAILABLE);
  }

  @Test
  void theSigningKeyIsGeneratedOnceWithMode0600AndReused(@TempDir Path dataDir) throws IOException {
    byte[] first = SigningKeyFile.loadOrCreate(dataDir);
    Path file = dataDir.resolve(SigningKeyFile.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(first).hasSize(32);
    assertThat(SigningKeyFile.loadOrCreate(dataDir)).isEqualTo(first);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(dataDir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(file, "not hex");
    assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(dataDir)).hasMessageContaining("delete it");
  }
}
