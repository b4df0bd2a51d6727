package io.tally.analytics.app;

import io.tally.analytics.adapter.s3.LocalS3Proxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What an object store really holds, read straight from it (not through Tally), for the export tests. */
interface StoredExports {
  /** @return complete objects under a prefix, sorted */
  List<String> keys(String prefix);

  /** @return an object's bytes */
  byte[] read(String key);

  /** @return uploads under a prefix that were started and never completed (temporary files, multipart uploads) */
  int incomplete(String prefix);

  /** The embedded store's directory ({@code DATA_DIR/exports}). */
  static StoredExports directory(Path root) {
    return new StoredExports() {
      @Override
      public List<String> keys(String prefix) {
        return files(prefix).filter(k -> !isPart(k)).toList();
      }

      @Override
      public byte[] read(String key) {
        try {
          return Files.readAllBytes(root.resolve(key));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public int incomplete(String prefix) {
        return (int) files(prefix).filter(StoredExports::isPart).count();
      }

      private Stream<String> files(String prefix) {
        Path dir = root.resolve(prefix);
        if (!Files.isDirectory(dir)) {
          return Stream.empty();
        }
        try (Stream<Path> all = Files.walk(dir)) {
          return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList()
              .stream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** A bucket of the local S3Proxy. */
  static StoredExports bucket(String bucket) {
    return new StoredExports() {
      @Override
      public List<String> keys(String prefix) {
        try (S3Client s3 = LocalS3Proxy.client()) {
          // S3Proxy's filesystem backend lists directory markers; they are not objects.
          return s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
              .filter(k -> !k.endsWith("/")).sorted().toList();
        }
      }

      @Override
      public byte[] read(String key) {
        try (S3Client s3 = LocalS3Proxy.client()) {
          return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
        }
      }

      @Override
      public int incomplete(String prefix) {
        try (S3Client s3 = LocalS3Proxy.client()) {
          return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix)).uploads().size();
        }
      }
    };
  }

  private static boolean isPart(String key) {
    return key.substring(key.lastIndexOf('/') + 1).startsWith(".part-");
  }
}
