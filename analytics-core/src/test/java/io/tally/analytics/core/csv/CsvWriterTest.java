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
