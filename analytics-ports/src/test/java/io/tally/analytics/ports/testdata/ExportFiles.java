package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.export.ExportCompression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads export files back the way a user's tools do: an independent RFC 4180 parser (Apache Commons CSV, strict
 * about quotes and record separators), gunzip when compressed, and SHA-256 as {@code sha256sum} prints it.
 */
public final class ExportFiles {
  private ExportFiles() {}

  /**
   * @param file the stored bytes
   * @param compression how they are stored
   * @return every record, header first, each as its cells
   */
  public static List<List<String>> parse(byte[] file, ExportCompression compression) {
    try (InputStream raw = new ByteArrayInputStream(file);
        InputStream in = compression == ExportCompression.GZIP ? new GZIPInputStream(raw) : raw;
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder());
        CSVParser parser = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get().parse(reader)) {
      List<List<String>> rows = new ArrayList<>();
      for (CSVRecord r : parser) {
        rows.add(r.toList());
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the text exactly as stored (after gunzip), to check CRLF record ends */
  public static String text(byte[] file, ExportCompression compression) {
    try (InputStream raw = new ByteArrayInputStream(file);
        InputStream in = compression == ExportCompression.GZIP ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return lower-case hex SHA-256 */
  public static String sha256(byte[] file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
