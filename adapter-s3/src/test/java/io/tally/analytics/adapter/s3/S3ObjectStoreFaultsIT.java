package io.tally.analytics.adapter.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** What S3 does wrong and what a killed writer leaves, against S3Proxy. */
class S3ObjectStoreFaultsIT {
  private final S3Settings settings = LocalS3Proxy.newBucket();

  @Test
  void aKilledWritersIncompleteUploadIsDiscardedAndWasNeverVisible() {
    try (S3Client raw = LocalS3Proxy.client(); S3ObjectStore store = new S3ObjectStore(settings)) {
      String key = "exports/org/job/1/file.csv";
      String id = raw.createMultipartUpload(r -> r.bucket(settings.bucket()).key(key)).uploadId();
      raw.uploadPart(r -> r.bucket(settings.bucket()).key(key).uploadId(id).partNumber(1),
          RequestBody.fromBytes(new byte[S3Settings.MIN_PART_SIZE]));
      assertThat(store.exists(key)).isFalse();
      assertThat(store.list("exports/org/job/")).isEmpty();
      assertThat(store.discardIncomplete("exports/org/job/")).isEqualTo(1);
      assertThat(raw.listMultipartUploads(r -> r.bucket(settings.bucket())).uploads()).isEmpty();
      assertThat(store.discardIncomplete("exports/org/job/")).isZero();
    }
  }

  @Test
  void anAbortedPutLeavesNoMultipartUploadBehind() {
    try (S3Client raw = LocalS3Proxy.client(); S3ObjectStore store = new S3ObjectStore(settings)) {
      assertThatThrownBy(() -> store.put("a/b.csv", "text/csv", out -> {
        out.write(new byte[3 * S3Settings.MIN_PART_SIZE]);
        throw new IOException("database went away");
      })).hasMessageContaining("aborted");
      assertThat(raw.listMultipartUploads(r -> r.bucket(settings.bucket())).uploads()).isEmpty();
      assertThat(store.exists("a/b.csv")).isFalse();
    }
  }

  @Test
  void aMissingBucketIsNotReadyAndPutsFailWithTheStoreCode() {
    try (S3ObjectStore store = new S3ObjectStore(LocalS3Proxy.settings("tally-it-no-such-bucket"))) {
      assertThatThrownBy(store::checkReady).isInstanceOf(TallyException.class)
          .hasMessageContaining("does not exist").extracting("errorCode").isEqualTo(ObjectStore.UNAVAILABLE);
      assertThatThrownBy(() -> store.put("x.csv", "text/csv", out -> out.write(1)))
          .isInstanceOf(TallyException.class).extracting("errorCode").isEqualTo(ObjectStore.UNAVAILABLE);
    }
  }

  @Test
  void wrongCredentialsAreNotReadyAndTheSecretIsNeverShown() {
    S3Settings wrong = new S3Settings(settings.endpoint(), settings.region(), settings.bucket(),
        Optional.of("tally"), Optional.of("not-the-secret-at-all"), true, S3Settings.MIN_PART_SIZE);
    try (S3ObjectStore store = new S3ObjectStore(wrong)) {
      assertThatThrownBy(store::checkReady).hasMessageContaining("credentials rejected")
          .hasMessageNotContaining("not-the-secret-at-all");
      assertThat(wrong.toString()).doesNotContain("not-the-secret-at-all");
    }
  }

  @Test
  void anUnreachableEndpointIsNotReady() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    S3Settings nowhere = new S3Settings(Optional.of(URI.create("http://127.0.0.1:" + closedPort)), "us-east-1",
        "bucket", Optional.of("a"), Optional.of("b"), true, S3Settings.MIN_PART_SIZE);
    try (S3ObjectStore store = new S3ObjectStore(nowhere)) {
      assertThatThrownBy(store::checkReady).hasMessageContaining("unreachable");
    }
  }

  @Test
  void presignedUrlsLongerThanSevenDaysAreRefused() {
    try (S3ObjectStore store = new S3ObjectStore(settings)) {
      assertThatThrownBy(() -> store.signedUrl("a.csv", Duration.ofDays(7).plusSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 days");
      assertThat(store.signedUrl("a.csv", Duration.ofDays(7))).contains("X-Amz-Expires=604800");
    }
  }
}
