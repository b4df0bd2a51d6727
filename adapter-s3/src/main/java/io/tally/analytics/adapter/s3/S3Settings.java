package io.tally.analytics.adapter.s3;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach the bucket ({@code S3_*} variables).
 *
 * @param endpoint {@code S3_ENDPOINT}: an S3-compatible store (MinIO, Ceph, Linode, S3Proxy); empty for AWS
 * @param region {@code S3_REGION}
 * @param bucket {@code S3_BUCKET}; must exist (readyz says so when it does not)
 * @param accessKeyId {@code S3_ACCESS_KEY_ID}; empty means the SDK's default chain (environment, profile, IAM role)
 * @param secretAccessKey {@code S3_SECRET_ACCESS_KEY}, present exactly when the key id is
 * @param forcePathStyle {@code S3_FORCE_PATH_STYLE}: {@code http://host/bucket/key} instead of
 *     {@code http://bucket.host/key}, which most S3-compatible stores need
 * @param partSize bytes per multipart part, at least 5 MiB (S3's minimum for all but the last part)
 */
public record S3Settings(Optional<URI> endpoint, String region, String bucket, Optional<String> accessKeyId,
    Optional<String> secretAccessKey, boolean forcePathStyle, int partSize) {
  /** S3's smallest part (except the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  /** Default part: 8 MiB; two are in memory per upload (one filling, one uploading). */
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** Validates. */
  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new IllegalArgumentException("access key id and secret come together");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("partSize must be at least 5 MiB");
    }
  }

  /** @return these settings with another part size */
  public S3Settings withPartSize(int bytes) {
    return new S3Settings(endpoint, region, bucket, accessKeyId, secretAccessKey, forcePathStyle, bytes);
  }

  @Override
  public String toString() {
    // The secret never reaches a log line.
    return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region + ", bucket="
        + bucket + ", accessKeyId=" + accessKeyId.orElse("(default chain)") + ", forcePathStyle=" + forcePathStyle
        + ", partSize=" + partSize + "]";
  }
}
