package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes rows in PostgreSQL's COPY text format straight into a stream, one bounded buffer at a time, so
 * a batch never exists as one big String. Fields are tab-separated, NULL is {@code \N}, and backslash, tab,
 * newline and carriage return inside text are backslash-escaped.
 */
final class CopyTextWriter {

  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private boolean rowStarted;

  CopyTextWriter(OutputStream out, int bufferSize) {
    this.out = out;
    this.buf = new byte[bufferSize];
  }

  CopyTextWriter text(String value) throws IOException {
    separator();
    if (value == null) {
      return raw("\\N");
    }
    if (isPlainAscii(value)) {
      return raw(value);
    }
    return rawBytes(escape(value).getBytes(StandardCharsets.UTF_8));
  }

  CopyTextWriter number(long value) throws IOException {
    separator();
    return raw(Long.toString(value));
  }

  /** A nullable number: {@code \\N} for null, as COPY's text format spells a NULL. */
  CopyTextWriter number(Long value) throws IOException {
    if (value == null) {
      separator();
      return raw("\\N");
    }
    return number(value.longValue());
  }

  CopyTextWriter bool(boolean value) throws IOException {
    separator();
    return raw(value ? "t" : "f");
  }

  CopyTextWriter uuid(UUID value) throws IOException {
    separator();
    return raw(value.toString());
  }

  CopyTextWriter timestamp(Instant value) throws IOException {
    separator();
    // ISO-8601 with 'Z' is accepted by timestamptz input and is exact to the nanosecond we keep (micros).
    return raw(value.toString());
  }

  void endRow() throws IOException {
    ensure(1);
    buf[pos++] = '\n';
    rowStarted = false;
  }

  /** Hands the buffered bytes to the stream; the caller closes the stream to end the COPY. */
  void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  private void separator() throws IOException {
    if (rowStarted) {
      ensure(1);
      buf[pos++] = '\t';
    }
    rowStarted = true;
  }

  private CopyTextWriter raw(String ascii) throws IOException {
    if (ascii.length() > buf.length) {
      return rawBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      buf[pos++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  private CopyTextWriter rawBytes(byte[] bytes) throws IOException {
    if (bytes.length > buf.length) {
      flush();
      out.write(bytes);
      return this;
    }
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
    return this;
  }

  // Callers guarantee n <= buf.length; longer values go through rawBytes.
  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == '\r') {
        return false;
      }
    }
    return true;
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
