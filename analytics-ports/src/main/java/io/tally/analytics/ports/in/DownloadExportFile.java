package io.tally.analytics.ports.in;

import java.io.InputStream;
import java.util.Objects;

/**
 * Serves the embedded object store's signed download links ({@code GET /analytics/v1/downloads/<key>?expires=…
 * &signature=…}): the link is the credential, so no actor is involved. Errors: {@code export.link_invalid}
 * (tampered, malformed, or signed with another key), {@code export.link_expired}, {@code object.not_found}.
 */
public interface DownloadExportFile {
  /** Error code of a link whose signature does not match. */
  String LINK_INVALID = "export.link_invalid";
  /** Error code of a correctly signed link past its expiry. */
  String LINK_EXPIRED = "export.link_expired";

  /**
   * An open file.
   *
   * @param fileName attachment name (the key's last segment)
   * @param contentType MIME type
   * @param body the bytes; the caller closes it
   */
  record FileDownload(String fileName, String contentType, InputStream body) {
    /** Rejects nulls. */
    public FileDownload {
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * @param key object key from the link's path
   * @param expires the link's {@code expires} parameter (epoch seconds)
   * @param signature the link's {@code signature} parameter
   * @return the open file
   */
  FileDownload open(String key, String expires, String signature);
}
