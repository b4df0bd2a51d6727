package io.tally.analytics.ports.out;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * S3-compatible object storage for export files. Contract: {@code ObjectStoreContract} in this module's
 * test-jar.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>Content is streamed, never held whole in memory or spooled whole to disk, so a million-row CSV keeps
 *       memory flat (S3: a multipart upload, one part buffered at a time).
 *   <li>A put is atomic: readers see the previous object or the complete new one, never a part. When the content
 *       or the store fails mid-way, the put throws and leaves no object and no incomplete upload behind.
 *   <li>Keys are {@code [A-Za-z0-9][A-Za-z0-9._/-]*} without {@code ..}; the last segment is the download's file
 *       name.
 *   <li>Faults of the store itself (down, bucket missing, credentials rejected) surface as
 *       {@link io.tally.analytics.core.TallyException} with code {@link #UNAVAILABLE}.
 * </ul>
 */
public interface ObjectStore {
  /** Error code when reading a key that does not exist. */
  String NOT_FOUND = "object.not_found";
  /** Error code when the store cannot be used (down, bucket missing, credentials rejected). */
  String UNAVAILABLE = "object_store.unavailable";

  /** Writes an object's bytes; called once per {@link #put}. */
  @FunctionalInterface
  interface Content {
    /**
     * @param out destination; do not close it
     * @throws IOException or any runtime exception to abandon the put (nothing is stored)
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * @param key object key, for example {@code exports/<org>/<job>/1/tally-usage-….csv}
   * @param contentType MIME type, for example {@code text/csv; charset=utf-8}
   * @param content streams the bytes
   * @return bytes stored; the object replaces any previous one with this key
   */
  long put(String key, String contentType, Content content);

  /** @return true when a complete object with this key exists */
  boolean exists(String key);

  /**
   * @return the object's bytes; the caller closes the stream
   * @throws io.tally.analytics.core.TallyException {@code object.not_found}
   */
  InputStream open(String key);

  /**
   * @param prefix key prefix
   * @return keys of the complete objects under it, sorted
   */
  List<String> list(String prefix);

  /** Removes an object; removing a missing one is not an error. */
  void delete(String key);

  /**
   * Discards uploads under {@code prefix} that were started and never completed, such as those of a writer
   * killed mid-upload (S3: aborts its multipart uploads; a local store: deletes its temporary files).
   *
   * @return how many were discarded
   */
  int discardIncomplete(String prefix);

  /**
   * @param key object key
   * @param ttl positive lifetime of the URL
   * @return a URL that grants GET on the object until it expires, answering with the key's last segment as the
   *     attachment's file name; any change to the URL makes it invalid
   */
  String signedUrl(String key, Duration ttl);

  /**
   * A cheap round trip for readiness probes.
   *
   * @throws io.tally.analytics.core.TallyException {@link #UNAVAILABLE} with the reason (unreachable, bucket
   *     missing, credentials rejected)
   */
  void checkReady();
}
