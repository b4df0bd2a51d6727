package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryObjectStoreTest {
  @TempDir
  Path root;

  @Test
  void writesReadsAndSignsAnObject() throws Exception {
    LocalDirectoryObjectStore s = new LocalDirectoryObjectStore(root, () -> Instant.parse("2026-11-01T00:00:00Z"));
    long n = s.put("exports/org/job.csv", "text/csv", out -> out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(n).isEqualTo(8);
    assertThat(s.exists("exports/org/job.csv")).isTrue();
    try (InputStream in = s.open("exports/org/job.csv")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    }
    String url = s.signedUrl("exports/org/job.csv", Duration.ofHours(24));
    assertThat(url).contains("expires=" + Instant.parse("2026-11-02T00:00:00Z").getEpochSecond())
        .containsPattern("signature=[0-9a-f]{64}");
    try (var files = Files.list(root.resolve("exports/org"))) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void aMissingObjectIsNotFoundAndKeysCannotEscapeTheRoot() {
    LocalDirectoryObjectStore s = new LocalDirectoryObjectStore(root, Instant::now);
    assertThatThrownBy(() -> s.open("exports/none.csv")).isInstanceOf(TallyException.class)
        .extracting(e -> ((TallyException) e).errorCode()).isEqualTo(ObjectStore.NOT_FOUND);
    assertThatThrownBy(() -> s.exists("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.exists("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailedWriteLeavesNoObject() {
    LocalDirectoryObjectStore s = new LocalDirectoryObjectStore(root, Instant::now);
    assertThatThrownBy(() -> s.put("exports/x.csv", "text/csv", out -> {
      out.write(1);
      throw new java.io.IOException("disk full");
    })).isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(s.exists("exports/x.csv")).isFalse();
  }
}
