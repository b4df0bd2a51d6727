package io.tally.analytics.core.csv;

import java.text.Normalizer;

/**
 * Neutralizes CSV formula injection (OWASP "CSV Injection"): a text cell that a spreadsheet would read as a
 * formula is prefixed with a single quote so it is shown as text instead of evaluated.
 *
 * <p>A cell counts as a formula when, after any leading run of blanks and invisible characters, it starts with
 * {@code = + - @} or a compatibility form of one (fullwidth {@code ＝ ＋ － ＠}, small {@code ﹦ ﹢ ﹣ ﹫}, the minus
 * sign {@code −}); a cell starting with TAB, CR or LF is neutralized as well. Spreadsheets trim leading blanks and
 * zero-width characters and fold fullwidth operators before they parse a cell, so checking the first character
 * only (as this guard did until issue 8) let {@code " =1+1"}, {@code "\n=1+1"}, {@code "＝1+1"} and
 * {@code "\u200B=1+1"} through. Blanks are every Unicode space and line separator; invisible characters are the
 * format (Cf) and control (Cc) categories plus the other default-ignorable code points (fillers, variation
 * selectors, the combining grapheme joiner).
 *
 * <p>Applied to text cells only. Numbers written through {@link CsvWriter#number(long)} are not prefixed: a
 * value produced by {@code Long.toString} cannot carry a formula, and the exporter's numeric columns (tokens,
 * requests, cost micros) are never negative anyway, so no numeric cell starts with {@code -} today; if one ever
 * does it stays a plain number rather than becoming the text {@code '-5}.
 */
public final class FormulaInjectionGuard {
  private FormulaInjectionGuard() {}

  /**
   * @param cell raw text
   * @return the text, prefixed with {@code '} when a spreadsheet would read it as a formula
   */
  public static String neutralize(String cell) {
    return startsAFormula(cell) ? "'" + cell : cell;
  }

  /** @return true when a spreadsheet would read the cell as a formula (or it starts with TAB, CR or LF) */
  static boolean startsAFormula(String cell) {
    for (int i = 0; i < cell.length(); ) {
      int cp = cell.codePointAt(i);
      if (cp == '\t' || cp == '\r' || cp == '\n') {
        return true;
      }
      if (!isBlankOrInvisible(cp)) {
        return isTrigger(cp);
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  private static boolean isTrigger(int cp) {
    if (cp == '\u2212') {
      return true;
    }
    String folded = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
    if (folded.isEmpty()) {
      return false;
    }
    char first = folded.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@';
  }

  private static boolean isBlankOrInvisible(int cp) {
    int type = Character.getType(cp);
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || type == Character.FORMAT
        || type == Character.CONTROL || isOtherDefaultIgnorable(cp);
  }

  // Default-ignorable code points outside Cf/Cc/Zs (Unicode DerivedCoreProperties): fillers that render as
  // nothing, variation selectors, the combining grapheme joiner, the Braille blank.
  private static boolean isOtherDefaultIgnorable(int cp) {
    return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
        || (cp >= 0x180B && cp <= 0x180F) || cp == 0x2800 || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFFA0 || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}
