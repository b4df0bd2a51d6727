package io.tally.analytics.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
  private static String write(List<String> cells) {
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).row(cells);
    return out.toString();
  }

  @Test
  void plainCellsAreNotQuotedAndRowsEndWithCrlf() {
    assertThat(write(List.of("a", "b c", ""))).isEqualTo("a,b c,\r\n");
  }

  @Test
  void commasQuotesAndLineBreaksAreQuoted() {
    assertThat(write(List.of("a,b", "say \"hi\"", "x\ny", "x\ry")))
        .isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"x\ry\"\r\n");
  }

  @Test
  void formulaTriggersArePrefixedWithAQuote() {
    assertThat(FormulaInjectionGuard.neutralize("=SUM(A1)")).isEqualTo("'=SUM(A1)");
    assertThat(FormulaInjectionGuard.neutralize("+1")).isEqualTo("'+1");
    assertThat(FormulaInjectionGuard.neutralize("-1")).isEqualTo("'-1");
    assertThat(FormulaInjectionGuard.neutralize("@cmd")).isEqualTo("'@cmd");
    assertThat(FormulaInjectionGuard.neutralize("\tx")).isEqualTo("'\tx");
    assertThat(FormulaInjectionGuard.neutralize("\rx")).isEqualTo("'\rx");
    assertThat(FormulaInjectionGuard.neutralize("a=b")).isEqualTo("a=b");
    assertThat(FormulaInjectionGuard.neutralize("")).isEmpty();
  }

  /**
   * Issue 8, finding 7: a spreadsheet skips leading blanks and invisible characters and reads fullwidth
   * operators as their ASCII forms, so these all start a formula and must be neutralized too.
   */
  @Test
  void triggersAfterLeadingWhitespaceOrInvisibleCharactersAndFullwidthTriggersAreNeutralized() {
    for (String cell : List.of(" =1+1", "  @SUM(A1)", "\n=1+1", "\n-2+3", "\u00a0=1", "\u3000+1",
        "\uff1d1+1", "\uff0bcmd", "\uff0d1", "\uff20SUM(A1)", "\u200b=1+1", "\u200c+1", "\u200d-1", "\ufeff@x",
        "\u2060=1", "\u200e=1", "\u202e=1", " \u200b \uff1dHYPERLINK(\"http://x\")")) {
      assertThat(FormulaInjectionGuard.neutralize(cell)).as("%s", cell.codePoints()
          .mapToObj(c -> String.format("U+%04X", c)).toList()).isEqualTo("'" + cell);
    }
    assertThat(FormulaInjectionGuard.neutralize(" plain")).isEqualTo(" plain");
    assertThat(FormulaInjectionGuard.neutralize("\u200bword")).isEqualTo("\u200bword");
  }

  @Test
  void neutralizedCellIsStillQuotedWhenItHoldsSpecials() {
    assertThat(write(List.of("=HYPERLINK(\"http://x\",\"y\")")))
        .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  }

  @Test
  void numbersAreWrittenVerbatim() {
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).text("llama-3-70b").number(1840).number(-5).endRow();
    assertThat(out).hasToString("llama-3-70b,1840,-5\r\n");
  }
}
