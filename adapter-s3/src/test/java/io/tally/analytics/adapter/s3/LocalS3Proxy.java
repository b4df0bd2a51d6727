package io.tally.analytics.adapter.s3;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3Proxy that {@code scripts/services} starts on 127.0.0.1:9480 (filesystem backend, SigV4 checked) for
 * integration tests: each test class gets a bucket of its own. Under CI=true an unreachable S3Proxy fails the
 * test, never skips it.
 */
public final class LocalS3Proxy {
  /** Endpoint; {@code S3PROXY_ENDPOINT} overrides it. */
  public static final URI ENDPOINT = URI.create(System.getenv().getOrDefault("S3PROXY_ENDPOINT",
      "http://127.0.0.1:9480"));
  /** The identity {@code scripts/services} configures. */
  public static final String ACCESS_KEY_ID = "tally";
  /** Its credential (a loopback test service; not a secret anywhere else). */
  public static final String SECRET_ACCESS_KEY = "tally-s3proxy-secret";
  /** Any region: S3Proxy accepts the one signed with. */
  public static final String REGION = "us-east-1";

  private LocalS3Proxy() {}

  /** @return settings for a new, empty bucket (created here), after checking S3Proxy answers */
  public static S3Settings newBucket() {
    String bucket = "tally-it-" + UUID.randomUUID().toString().substring(0, 18);
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(bucket));
    } catch (SdkException e) {
      String msg = "S3Proxy unreachable at " + ENDPOINT + " (run scripts/services): " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg, e);
      }
      Assumptions.abort(msg);
    }
    return settings(bucket);
  }

  /** @return settings for {@code bucket} on the local S3Proxy */
  public static S3Settings settings(String bucket) {
    return new S3Settings(Optional.of(ENDPOINT), REGION, bucket, Optional.of(ACCESS_KEY_ID),
        Optional.of(SECRET_ACCESS_KEY), true, S3Settings.MIN_PART_SIZE);
  }

  /** @return a raw SDK client for inspecting what the adapter did (the caller closes it) */
  public static S3Client client() {
    return S3Client.builder().endpointOverride(ENDPOINT).region(Region.of(REGION))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false)
            .build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .build();
  }
}
