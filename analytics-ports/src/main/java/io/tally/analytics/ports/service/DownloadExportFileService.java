package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;

/**
 * {@link DownloadExportFile} for the embedded object store: checks the link's HMAC (same {@link DownloadLinkSigner}
 * and key as the store that signed it) before opening anything, so a guessed or altered link learns nothing about
 * which files exist.
 */
public final class DownloadExportFileService implements DownloadExportFile {
  private final DownloadLinkSigner signer;
  private final ObjectStore objects;
  private final TimeSource time;

  /**
   * @param signer the signing key of the store's links
   * @param objects the store
   * @param time clock
   */
  public DownloadExportFileService(DownloadLinkSigner signer, ObjectStore objects, TimeSource time) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public FileDownload open(String key, String expires, String signature) {
    long expiry;
    try {
      expiry = Long.parseLong(Objects.requireNonNullElse(expires, ""));
    } catch (NumberFormatException e) {
      throw new TallyException(TallyException.Kind.FORBIDDEN, LINK_INVALID,
          "The download link is malformed; ask for a new one.");
    }
    switch (signer.verify(key, expiry, Objects.requireNonNullElse(signature, ""), time.now())) {
      case TAMPERED -> throw new TallyException(TallyException.Kind.FORBIDDEN, LINK_INVALID,
          "The download link's signature does not match; use the link exactly as issued.");
      case EXPIRED -> throw new TallyException(TallyException.Kind.GONE, LINK_EXPIRED,
          "The download link expired; ask for a new one (GET …/exports/{jobId}/download).");
      case VALID -> {
        // fall through to open
      }
    }
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    return new FileDownload(fileName, contentTypeOf(fileName), objects.open(key));
  }

  private static String contentTypeOf(String fileName) {
    if (fileName.endsWith("." + ExportCompression.GZIP.extension())) {
      return ExportCompression.GZIP.contentType();
    }
    if (fileName.endsWith(".json")) {
      return "application/json";
    }
    return ExportCompression.NONE.contentType();
  }
}
