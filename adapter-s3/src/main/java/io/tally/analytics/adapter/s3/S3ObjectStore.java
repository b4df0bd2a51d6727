package io.tally.analytics.adapter.s3;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ObjectStore} on S3 or an S3-compatible store, with the AWS SDK v2. A put is a streaming multipart upload
 * ({@link MultipartUploadStream}: two parts in memory, never the whole file, nothing on disk) that is aborted when
 * the content or S3 fails; downloads are SigV4 presigned GET URLs (at most 7 days) that answer as an attachment.
 * Payload checksums are computed only when S3 requires them, which S3-compatible stores such as S3Proxy, Ceph and
 * older MinIO need (DESIGN §3). Every SDK failure becomes {@code object_store.unavailable} with S3's reason, never
 * a credential.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  /** SigV4's limit on a presigned URL's lifetime. */
  public static final Duration MAX_URL_TTL = Duration.ofDays(7);
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(3);

  private final S3Settings settings;
  private final S3Client s3;
  private final S3Presigner presigner;
  private final ExecutorService uploads;

  /** @param settings endpoint, bucket, credentials */
  public S3ObjectStore(S3Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    AwsCredentialsProvider credentials = settings.accessKeyId()
        .<AwsCredentialsProvider>map(id -> StaticCredentialsProvider.create(
            AwsBasicCredentials.create(id, settings.secretAccessKey().orElseThrow())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    S3Configuration service = S3Configuration.builder().pathStyleAccessEnabled(settings.forcePathStyle())
        .chunkedEncodingEnabled(false).build();
    S3ClientBuilder client = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(service)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32)
            .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)));
    S3Presigner.Builder presign = S3Presigner.builder().region(Region.of(settings.region()))
        .credentialsProvider(credentials).serviceConfiguration(service);
    settings.endpoint().ifPresent(e -> {
      client.endpointOverride(e);
      presign.endpointOverride(e);
    });
    this.s3 = client.build();
    this.presigner = presign.build();
    AtomicInteger n = new AtomicInteger();
    this.uploads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tally-s3-upload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** @return the settings (secret redacted in {@code toString}) */
  public S3Settings settings() {
    return settings;
  }

  @Override
  public long put(String key, String contentType, Content content) {
    requireKey(key);
    MultipartUploadStream upload = new MultipartUploadStream(s3, uploads, settings.bucket(), key, contentType,
        settings.partSize());
    try {
      content.writeTo(upload);
      return upload.complete();
    } catch (IOException e) {
      upload.abort();
      throw new UncheckedIOException("export content failed; upload of " + key + " aborted", e);
    } catch (SdkException e) {
      upload.abort();
      throw unavailable("put " + key, e);
    } catch (RuntimeException | Error e) {
      upload.abort();
      throw e;
    }
  }

  @Override
  public boolean exists(String key) {
    requireKey(key);
    try {
      s3.headObject(r -> r.bucket(settings.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw unavailable("head " + key, e);
    } catch (SdkException e) {
      throw unavailable("head " + key, e);
    }
  }

  @Override
  public InputStream open(String key) {
    requireKey(key);
    try {
      return s3.getObject(r -> r.bucket(settings.bucket()).key(key));
    } catch (NoSuchKeyException e) {
      throw new TallyException(TallyException.Kind.NOT_FOUND, NOT_FOUND, "No object " + key + ".");
    } catch (SdkException e) {
      throw unavailable("get " + key, e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    return call("list " + prefix, () -> s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(prefix))
        .contents().stream().map(S3Object::key)
        // Some S3-compatible stores (S3Proxy's filesystem backend) list directory markers; Tally never writes one.
        .filter(k -> !k.endsWith("/")).sorted().toList());
  }

  @Override
  public void delete(String key) {
    requireKey(key);
    call("delete " + key, () -> s3.deleteObject(r -> r.bucket(settings.bucket()).key(key)));
  }

  @Override
  public int discardIncomplete(String prefix) {
    List<MultipartUpload> open = call("list uploads " + prefix, () -> s3.listMultipartUploadsPaginator(
        r -> r.bucket(settings.bucket()).prefix(prefix)).uploads().stream().toList());
    for (MultipartUpload u : open) {
      call("abort " + u.key(), () -> s3.abortMultipartUpload(
          r -> r.bucket(settings.bucket()).key(u.key()).uploadId(u.uploadId())));
    }
    if (!open.isEmpty()) {
      LOG.atInfo().addKeyValue("prefix", prefix).addKeyValue("uploads", open.size())
          .log("aborted incomplete multipart uploads");
    }
    return open.size();
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    requireKey(key);
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_URL_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most 7 days (SigV4's limit)");
    }
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    GetObjectRequest get = GetObjectRequest.builder().bucket(settings.bucket()).key(key)
        .responseContentDisposition("attachment; filename=\"" + fileName + "\"").build();
    return call("presign " + key, () -> presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(get))
        .url().toString());
  }

  @Override
  public void checkReady() {
    try {
      s3.headBucket(r -> r.bucket(settings.bucket()).overrideConfiguration(c -> c.apiCallTimeout(READY_TIMEOUT)));
    } catch (NoSuchBucketException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "bucket " + settings.bucket() + " does not exist");
    } catch (S3Exception e) {
      String why = switch (e.statusCode()) {
        case 404 -> "bucket " + settings.bucket() + " does not exist";
        case 401, 403 -> "credentials rejected or access to bucket " + settings.bucket() + " denied (HTTP "
            + e.statusCode() + ")";
        default -> "S3 answered HTTP " + e.statusCode();
      };
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE, why);
    } catch (SdkClientException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE, "unreachable: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    uploads.shutdownNow();
    presigner.close();
    s3.close();
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty() || key.contains("..") || key.startsWith("/")) {
      throw new IllegalArgumentException("object key not allowed: " + key);
    }
  }

  private <T> T call(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (SdkException e) {
      throw unavailable(what, e);
    }
  }

  private void call(String what, Runnable work) {
    call(what, () -> {
      work.run();
      return null;
    });
  }

  private TallyException unavailable(String what, SdkException e) {
    String detail = e instanceof S3Exception s && s.awsErrorDetails() != null
        ? s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ")" : e.getMessage();
    return new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
        "S3 " + what + " in bucket " + settings.bucket() + " failed: " + detail, e);
  }
}
