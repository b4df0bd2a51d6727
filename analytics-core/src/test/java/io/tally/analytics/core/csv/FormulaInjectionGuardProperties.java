package io.tally.analytics.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The guard against the known payloads (OWASP CSV Injection, PayloadsAllTheThings), each disguised as a
 * spreadsheet still reads it: behind blanks and invisible characters, with its operator in a fullwidth or small
 * form. Whatever the disguise, the written cell must start with the neutralizing quote.
 */
class FormulaInjectionGuardProperties {
  static final List<String> PAYLOADS = load();
  /** Characters a spreadsheet skips before it looks for {@code =}: blanks, zero-width and bidi controls. */
  static final List<String> SKIPPED = List.of(" ", "\u00a0", "\u2007", "\u3000", "\u200b", "\u200c", "\u200d",
      "\ufeff", "\u2060", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u180e", "\u00ad", "\u034f",
      "\u3164", "\ufe0f", "\u0000", "\u001b");
  static final Map<Character, List<String>> OPERATOR_FORMS = Map.of(
      '=', List.of("=", "\uff1d", "\ufe66"),
      '+', List.of("+", "\uff0b", "\ufe62"),
      '-', List.of("-", "\uff0d", "\ufe63", "\u2212"),
      '@', List.of("@", "\uff20", "\ufe6b"));

  @Property(tries = 2_000)
  void everyDisguisedPayloadIsNeutralized(@ForAll("disguised") String cell) {
    assertThat(FormulaInjectionGuard.neutralize(cell)).startsWith("'").endsWith(cell);
    StringBuilder out = new StringBuilder();
    new CsvWriter(out).row(List.of(cell, "x"));
    assertThat(CsvWriterProperties.parse(out.toString()).get(0).get(0)).isEqualTo("'" + cell);
  }

  @Property
  void cellsStartingWithALetterOrDigitAreLeftAlone(@ForAll("benign") String cell) {
    assertThat(FormulaInjectionGuard.neutralize(cell)).isEqualTo(cell);
  }

  @Property
  void theGuardOnlyEverPrependsOneQuote(@ForAll String cell) {
    String out = FormulaInjectionGuard.neutralize(cell);
    assertThat(out.equals(cell) || out.equals("'" + cell)).isTrue();
  }

  @Provide
  Arbitrary<String> disguised() {
    Arbitrary<String> payload = Arbitraries.of(PAYLOADS);
    Arbitrary<String> prefix = Arbitraries.of(SKIPPED).list().ofMaxSize(4).map(l -> String.join("", l));
    Arbitrary<Integer> form = Arbitraries.integers().between(0, 3);
    Arbitrary<Boolean> lineBreakFirst = Arbitraries.of(false, false, false, true);
    return Combinators.combine(payload, prefix, form, lineBreakFirst).as((p, pre, f, lf) -> {
      List<String> forms = OPERATOR_FORMS.get(p.charAt(0));
      String operator = forms.get(f % forms.size());
      return (lf ? "\n" : "") + pre + operator + p.substring(1);
    });
  }

  @Provide
  Arbitrary<String> benign() {
    Arbitrary<Character> first = Arbitraries.chars().alpha().numeric();
    return Combinators.combine(first, Arbitraries.strings().ofMaxLength(20)).as((c, rest) -> c + rest);
  }

  private static List<String> load() {
    try (InputStream in = FormulaInjectionGuardProperties.class.getResourceAsStream(
        "/csv/owasp-csv-injection-payloads.txt")) {
      List<String> payloads = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
      assertThat(payloads).hasSizeGreaterThan(25);
      return payloads;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
