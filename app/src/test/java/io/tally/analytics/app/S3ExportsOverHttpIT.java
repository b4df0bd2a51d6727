package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.s3.LocalS3Proxy;
import io.tally.analytics.adapter.s3.S3Settings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exports to S3Proxy (SigV4 checked, so tampered and expired presigned URLs are refused by S3 itself). */
class S3ExportsOverHttpIT extends ExportsOverHttpIT {
  private S3Settings bucket;

  @Override
  Map<String, String> storeEnv() {
    bucket = LocalS3Proxy.newBucket();
    return s3Env(bucket.bucket());
  }

  static Map<String, String> s3Env(String bucketName) {
    return Map.of("S3_ENDPOINT", LocalS3Proxy.ENDPOINT.toString(), "S3_REGION", LocalS3Proxy.REGION,
        "S3_BUCKET", bucketName, "S3_ACCESS_KEY_ID", LocalS3Proxy.ACCESS_KEY_ID,
        "S3_SECRET_ACCESS_KEY", LocalS3Proxy.SECRET_ACCESS_KEY, "S3_FORCE_PATH_STYLE", "true");
  }

  @Override
  StoredExports stored() {
    return StoredExports.bucket(bucket.bucket());
  }

  @Override
  int expiredStatus() {
    return 403;
  }

  @Test
  void aMissingBucketIsNotReadyAndJobsWaitForARetryWithTheReason() throws Exception {
    try (FreshDatabase db = new FreshDatabase();
        RunningTally broken = RunningTally.onDatabase(db.url(), Files.createTempDirectory("tally-nobucket-"),
            Map.of("EXPORT_WORKER_INTERVAL", "100ms", "S3_ENDPOINT", LocalS3Proxy.ENDPOINT.toString(),
                "S3_BUCKET", "tally-it-no-such-bucket", "S3_ACCESS_KEY_ID", LocalS3Proxy.ACCESS_KEY_ID,
                "S3_SECRET_ACCESS_KEY", LocalS3Proxy.SECRET_ACCESS_KEY))) {
      HttpResponse<String> readyz = broken.get("/analytics/v1/status/readyz", Map.of());
      assertThat(readyz.statusCode()).isEqualTo(503);
      JsonNode store = RunningTally.json(readyz).at("/components/object_store");
      assertThat(store.get("status").asText()).isEqualTo("down");
      assertThat(store.get("reason").asText()).isEqualTo("bucket tally-it-no-such-bucket does not exist");
      ExportDownloads api = new ExportDownloads(broken, ORG, FINANCE);
      String jobId = api.create(request("usage", "daily", "none", day0, day0.plus(Duration.ofDays(1))));
      JsonNode waiting = api.awaitJob(jobId, Duration.ofSeconds(30), j -> j.get("attempts").asInt() == 1
          && j.get("status").asText().equals("pending"));
      assertThat(waiting.get("errorCode").asText()).isEqualTo("export.object_store_unavailable");
      assertThat(waiting.get("error").asText()).contains("tally-it-no-such-bucket");
      assertThat(waiting.get("retryAt").isNull()).isFalse();
    }
  }
}
