package io.tally.analytics.core.csv;

/**
 * Neutralizes CSV formula injection (OWASP "CSV Injection"): a text cell starting with {@code = + - @}, TAB or
 * CR is prefixed with a single quote so spreadsheet programs show it as text instead of evaluating it.
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
   * @return the text, prefixed with {@code '} when it starts with a formula trigger
   */
  public static String neutralize(String cell) {
    if (cell.isEmpty()) {
      return cell;
    }
    char first = cell.charAt(0);
    boolean trigger = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return trigger ? "'" + cell : cell;
  }
}
