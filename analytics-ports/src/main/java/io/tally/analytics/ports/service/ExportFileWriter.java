package io.tally.analytics.ports.service;

import io.tally.analytics.core.csv.CsvWriter;
import io.tally.analytics.core.export.ExportCompression;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The byte pipeline of one export file: CSV text → UTF-8 → optional gzip → counted and hashed → the object
 * store's stream. Buffers are fixed (64 KiB), so memory stays flat whatever the row count. Byte count and SHA-256
 * are of what the store receives, which is what a user's {@code sha256sum} of the downloaded file computes.
 */
final class ExportFileWriter {
  private static final int BUFFER = 64 * 1024;

  private final CountingDigestStream counted;
  private final OutputStream body;
  private final Writer text;
  private final StringBuilder row = new StringBuilder(256);
  private final CsvWriter csv = new CsvWriter(row);

  ExportFileWriter(OutputStream sink, ExportCompression compression) throws IOException {
    this.counted = new CountingDigestStream(sink);
    this.body = compression == ExportCompression.GZIP ? new GZIPOutputStream(counted, BUFFER) : counted;
    this.text = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), BUFFER);
  }

  /** @return where the current row is written; call {@link #rowDone()} after each row */
  CsvWriter csv() {
    return csv;
  }

  /** Moves the finished row into the file: one write per row rather than one per cell and comma. */
  void rowDone() throws IOException {
    text.append(row);
    row.setLength(0);
  }

  /** {@link #rowDone()} for callers inside a lambda that cannot throw checked exceptions. */
  void rowDoneUnchecked() {
    try {
      rowDone();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Flushes every layer (and ends the gzip stream) without closing the store's stream. */
  void finish() throws IOException {
    rowDone();
    text.flush();
    if (body instanceof GZIPOutputStream gzip) {
      gzip.finish();
    }
    counted.flush();
  }

  long bytes() {
    return counted.count;
  }

  String sha256() {
    return HexFormat.of().formatHex(counted.digest.digest());
  }

  private static final class CountingDigestStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;

    CountingDigestStream(OutputStream out) {
      super(out);
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void close() {
      // The object store owns its stream: finishing the file must not close it.
    }
  }
}
