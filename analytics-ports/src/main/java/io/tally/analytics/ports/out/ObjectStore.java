package io.tally.analytics.ports.out;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * S3-compatible object storage for export files. Content is streamed, never held whole, so a million-row CSV
 * keeps memory flat.
 */
public interface ObjectStore {
  /** Error code when reading a key that does not exist. */
  String NOT_FOUND = "object.not_found";

  /** Writes an object's bytes; called once per {@link #put}. */
  @FunctionalInterface
  interface Content {
    /** @param out destination; do not close it */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * @param key object key, for example {@code exports/<org>/<job>.csv}
   * @param contentType MIME type, for example {@code text/csv}
   * @param content streams the bytes
   * @return bytes stored; the object replaces any previous one with this key
   */
  long put(String key, String contentType, Content content);

  /** @return true when an object with this key exists */
  boolean exists(String key);

  /**
   * @return the object's bytes; the caller closes the stream
   * @throws io.tally.analytics.core.TallyException {@code object.not_found}
   */
  InputStream open(String key);

  /**
   * @param key object key
   * @param ttl positive lifetime of the URL
   * @return a URL that grants GET on the object until it expires
   */
  String signedUrl(String key, Duration ttl);
}
