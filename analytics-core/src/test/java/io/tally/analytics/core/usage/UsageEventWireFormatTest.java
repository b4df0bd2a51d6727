package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageEventWireFormatTest {
  private static UsageEventWireFormat.Read read(Map<String, WireValue> fields) {
    return UsageEventWireFormat.read(new WireValue.Obj(fields), Optional.of("{…}"));
  }

  @Test
  void aDocumentThatIsNotAnObjectIsRefused() {
    UsageEventWireFormat.Read read = UsageEventWireFormat.read(new WireValue.Arr(List.of()), Optional.empty());
    assertThat(read).isInstanceOfSatisfying(UsageEventWireFormat.Refused.class, r -> {
      assertThat(r.violation().errorCode()).isEqualTo("event.not_an_object");
      assertThat(r.violation().message()).contains("a JSON array");
    });
  }

  @Test
  void aNestedValueInAnEventFieldIsRefusedNamingEveryNestedField() {
    UsageEventWireFormat.Read read = read(Map.of("eventId", new WireValue.Text("a"),
        "inputTokens", new WireValue.Obj(Map.of()), "region", new WireValue.Arr(List.of())));
    assertThat(read).isInstanceOfSatisfying(UsageEventWireFormat.Refused.class, r -> {
      assertThat(r.violation().errorCode()).isEqualTo("event.nested_value");
      assertThat(r.violation().field()).isEqualTo("inputTokens");
      assertThat(r.violation().message()).contains("inputTokens, region");
    });
  }

  @Test
  void unknownFieldsAreIgnoredWhateverTheirTypeAndNullIsAbsent() {
    UsageEventWireFormat.Read read = read(Map.of("eventId", new WireValue.Text("a"), "region", WireValue.NULL,
        "metadata", new WireValue.Obj(Map.of("team", new WireValue.Arr(List.of())))));
    assertThat(read).isInstanceOfSatisfying(UsageEventWireFormat.Parsed.class, p -> {
      assertThat(p.candidate().eventId()).contains("a");
      assertThat(p.candidate().region()).isEmpty();
      assertThat(p.candidate().rawPayload()).contains("{…}");
    });
  }

  @ParameterizedTest
  @CsvSource({"812, true, 812", "-0, true, 0", "8.50, false, 8.5", "5.0, false, 5.0", "0.0, false, 0.0",
      "1E+3, false, 1E+3", "1.5E+2, false, 1.5E+2", "1E+999999999, false, 1E+999999999"})
  void numbersBecomeExactTextAndANonIntegerNeverLooksLikeAnInteger(String literal, boolean integral, String text) {
    UsageEventWireFormat.Read read = read(Map.of("inputTokens", new WireValue.Num(new BigDecimal(literal), integral),
        "status", new WireValue.Bool(true)));
    assertThat(read).isInstanceOfSatisfying(UsageEventWireFormat.Parsed.class, p -> {
      assertThat(p.candidate().inputTokens()).contains(text);
      assertThat(p.candidate().status()).contains("true");
    });
  }
}
