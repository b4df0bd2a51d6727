package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.TallyException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotBlank;

class ErrorResponsesProperties {
  @Property
  void everyKindGetsAnErrorStatusTheCodePassesThroughAndFiveHundredsNeverLeakTheMessage(
      @ForAll TallyException.Kind kind, @ForAll @NotBlank String code, @ForAll String message) {
    ApiError error = ErrorResponses.from(new TallyException(kind, code, "LEAK" + message), "r").error();
    assertThat(error.statusCode()).isBetween(400, 599).isEqualTo(ErrorResponses.statusFor(kind));
    assertThat(error.errorCode()).isEqualTo(code);
    if (error.statusCode() == 500) {
      assertThat(error.message()).isEqualTo(ErrorResponses.INTERNAL_MESSAGE);
    }
  }

  @Property
  void anythingThatIsNotATallyFailureIsAGeneric500(@ForAll String message) {
    ApiError error = ErrorResponses.from(new IllegalStateException(message), "r").error();
    assertThat(error.statusCode()).isEqualTo(500);
    assertThat(error.message()).isEqualTo(ErrorResponses.INTERNAL_MESSAGE);
  }
}
