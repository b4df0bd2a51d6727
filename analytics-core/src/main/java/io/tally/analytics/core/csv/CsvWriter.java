package io.tally.analytics.core.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Writes RFC 4180 rows to any {@link Appendable}, cell by cell, so an exporter can stream millions of rows
 * without holding them. Rows end with CRLF (RFC 4180 §2.1). A cell is quoted when it contains a comma, a double
 * quote, CR or LF, and inner quotes are doubled. Text cells pass through {@link FormulaInjectionGuard} first.
 *
 * <p>Not thread-safe: one writer per output.
 */
public final class CsvWriter {
  private final Appendable out;
  private boolean rowStarted;

  /** @param out destination; I/O failures surface as {@link UncheckedIOException} */
  public CsvWriter(Appendable out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Appends a text cell: neutralized, then quoted when needed.
   *
   * @return this writer
   */
  public CsvWriter text(String cell) {
    return raw(escape(FormulaInjectionGuard.neutralize(Objects.requireNonNull(cell, "cell"))));
  }

  /**
   * Appends a numeric cell verbatim (see {@link FormulaInjectionGuard} for why numbers are not neutralized).
   *
   * @return this writer
   */
  public CsvWriter number(long value) {
    return raw(Long.toString(value));
  }

  /** Ends the current row with CRLF. @return this writer */
  public CsvWriter endRow() {
    append("\r\n");
    rowStarted = false;
    return this;
  }

  /** Writes a whole row of text cells and ends it. @return this writer */
  public CsvWriter row(List<String> cells) {
    cells.forEach(this::text);
    return endRow();
  }

  /**
   * RFC 4180 quoting only (no neutralization): quote when the cell holds {@code , " CR LF}, doubling quotes.
   *
   * @param cell text
   * @return the cell as it appears in the file
   */
  public static String escape(String cell) {
    boolean quote = false;
    for (int i = 0; i < cell.length() && !quote; i++) {
      char c = cell.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
  }

  private CsvWriter raw(String escaped) {
    if (rowStarted) {
      append(",");
    }
    append(escaped);
    rowStarted = true;
    return this;
  }

  private void append(String s) {
    try {
      out.append(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
