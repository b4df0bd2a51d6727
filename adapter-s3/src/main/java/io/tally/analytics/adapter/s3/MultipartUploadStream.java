package io.tally.analytics.adapter.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The bytes of one object, streamed to S3 part by part: two part-sized buffers, one filling while the other
 * uploads (on the store's upload pool), so memory stays at two parts whatever the object's size and writing
 * overlaps with the network. An object smaller than one part is sent with a single PUT. Nothing is visible in the
 * bucket until {@link #complete}; {@link #abort} discards the parts already sent.
 */
final class MultipartUploadStream extends OutputStream {
  private final S3Client s3;
  private final ExecutorService uploads;
  private final String bucket;
  private final String key;
  private final String contentType;
  private final int partSize;
  private byte[] filling;
  private byte[] spare;
  private int filled;
  private long total;
  private String uploadId;
  private Future<CompletedPart> inFlight;
  private final List<CompletedPart> parts = new ArrayList<>();

  MultipartUploadStream(S3Client s3, ExecutorService uploads, String bucket, String key, String contentType,
      int partSize) {
    this.s3 = s3;
    this.uploads = uploads;
    this.bucket = bucket;
    this.key = key;
    this.contentType = contentType;
    this.partSize = partSize;
    this.filling = new byte[partSize];
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == partSize) {
      sendFilledPart();
    }
    filling[filled++] = (byte) b;
    total++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (filled == partSize) {
        sendFilledPart();
      }
      int n = Math.min(len, partSize - filled);
      System.arraycopy(b, off, filling, filled, n);
      filled += n;
      off += n;
      len -= n;
      total += n;
    }
  }

  /** Sends what is buffered and makes the object visible. @return the object's size */
  long complete() throws IOException {
    if (uploadId == null) {
      s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType),
          RequestBody.fromInputStream(new ByteArrayInputStream(filling, 0, filled), filled));
      return total;
    }
    if (filled > 0) {
      sendFilledPart();
    }
    awaitInFlight();
    s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    return total;
  }

  /** Discards the upload and its parts (best effort: S3 errors here are swallowed, the original one matters). */
  void abort() {
    if (inFlight != null) {
      inFlight.cancel(true);
    }
    if (uploadId != null) {
      try {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      } catch (RuntimeException ignored) {
        // discardIncomplete of a later attempt, or a bucket lifecycle rule, removes what is left.
      }
    }
  }

  private void sendFilledPart() throws IOException {
    if (uploadId == null) {
      uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }
    awaitInFlight();
    byte[] body = filling;
    int length = filled;
    int partNumber = parts.size() + 1;
    inFlight = uploads.submit(() -> {
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
          .contentLength((long) length), RequestBody.fromInputStream(new ByteArrayInputStream(body, 0, length),
          length)).eTag();
      return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    });
    filling = spare != null ? spare : new byte[partSize];
    spare = body;
    filled = 0;
  }

  private void awaitInFlight() throws IOException {
    if (inFlight == null) {
      return;
    }
    try {
      parts.add(inFlight.get());
      inFlight = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading part " + (parts.size() + 1));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("part upload failed", e.getCause());
    }
  }
}
