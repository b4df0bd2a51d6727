package io.tally.analytics.core.export;

import java.util.Locale;

/** How the CSV file is stored: as is, or gzip-compressed ({@code "compression": "gzip"}). */
public enum ExportCompression {
  /** Plain UTF-8 CSV, {@code text/csv}. */
  NONE("csv", "text/csv; charset=utf-8"),
  /** The same CSV, gzip-compressed, {@code application/gzip}; the manifest's checksum is of the compressed file. */
  GZIP("csv.gz", "application/gzip");

  private final String extension;
  private final String contentType;

  ExportCompression(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** @return the file name extension without the leading dot ({@code csv} or {@code csv.gz}) */
  public String extension() {
    return extension;
  }

  /** @return the MIME type the file is stored and served with */
  public String contentType() {
    return contentType;
  }

  /** @return the lower-case wire name ({@code none} or {@code gzip}) */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
