package io.tally.analytics.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class CsvWriterProperties {

  @Property
  void parsingAWrittenRowGivesTheNeutralizedCells(@ForAll("rows") @Size(min = 2, max = 8) List<String> cells) {
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).row(cells);
    assertThat(parse(out.toString())).isEqualTo(List.of(cells.stream().map(FormulaInjectionGuard::neutralize)
        .toList()));
  }

  @Property
  void severalRowsRoundTrip(@ForAll("rows") @Size(min = 1, max = 5) List<String> a,
      @ForAll("rows") @Size(min = 1, max = 5) List<String> b) {
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).row(a).row(b);
    List<List<String>> parsed = parse(out.toString());
    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(1)).isEqualTo(b.stream().map(FormulaInjectionGuard::neutralize).toList());
  }

  @Property
  void noWrittenTextCellStartsWithAFormulaTrigger(@ForAll("cells") String cell) {
    String unquoted = parse(new StringBuilder().append(writeOne(cell)).toString()).get(0).get(0);
    assertThat(unquoted).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@")
        .doesNotStartWith("\t").doesNotStartWith("\r");
  }

  @Provide
  Arbitrary<List<String>> rows() {
    return cells().list();
  }

  @Provide
  Arbitrary<String> cells() {
    return Arbitraries.strings().withChars("ab ,\"\r\n=+-@\t'").ofMaxLength(12);
  }

  private static String writeOne(String cell) {
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).row(List.of(cell, "x"));
    return out.toString();
  }

  /** A strict RFC 4180 parser for the test only: CRLF-terminated records, quoted fields may hold anything. */
  static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    while (i < csv.length()) {
      char c = csv.charAt(i);
      if (c == '"' && cell.length() == 0) {
        i++;
        while (true) {
          char q = csv.charAt(i);
          if (q == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
            cell.append('"');
            i += 2;
          } else if (q == '"') {
            i++;
            break;
          } else {
            cell.append(q);
            i++;
          }
        }
        continue;
      }
      if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
        i++;
      } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i += 2;
      } else if (c == '"' || c == '\r' || c == '\n') {
        throw new IllegalStateException("bare " + (int) c + " in an unquoted field at " + i);
      } else {
        cell.append(c);
        i++;
      }
    }
    if (!row.isEmpty() || cell.length() > 0) {
      throw new IllegalStateException("last record not terminated by CRLF");
    }
    return rows;
  }
}
