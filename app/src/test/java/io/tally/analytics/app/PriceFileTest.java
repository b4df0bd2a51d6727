package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.ModelPrice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PriceFileTest {
  private static final Instant EPOCH = Instant.EPOCH;

  @Test
  void csvRowsWithAndWithoutAnOrganisation() {
    PriceFile f = PriceFile.csv(List.of("# comment", "", PriceFile.CSV_HEADER + ",org_id",
        "llama-3-70b,2026-01-01T00:00:00Z,600000,2400000,",
        "llama-3-70b, 2026-02-01T00:00:00+01:00 ,500000,2000000,00000000-0000-0000-0000-000000000001"), "csv:x");
    assertThat(f.prices()).containsExactly(
        new ModelPrice("llama-3-70b", Instant.parse("2026-01-01T00:00:00Z"), 600_000, 2_400_000),
        new ModelPrice("llama-3-70b", Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")),
            Instant.parse("2026-01-31T23:00:00Z"), 500_000, 2_000_000));
  }

  @Test
  void aBadCsvLineStopsTheImportNamingTheLine() {
    assertCode(() -> PriceFile.csv(List.of("model,from,in,out"), "csv:x"), "price.invalid_file", "header");
    assertCode(() -> PriceFile.csv(List.of(), "csv:x"), "price.invalid_file", "empty");
    assertCode(() -> csvRow("m,2026-01-01T00:00:00Z,1.5,2"), "price.invalid_amount", "line 2");
    assertCode(() -> csvRow("m,2026-01-01T00:00:00Z,-1,2"), "price.invalid_amount", "line 2");
    assertCode(() -> csvRow("m,2026-01-01,1,2"), "price.invalid_effective_from", "line 2");
    assertCode(() -> csvRow("bad model,2026-01-01T00:00:00Z,1,2"), "price.invalid_model_id", "line 2");
    assertCode(() -> csvRow("m,2026-01-01T00:00:00Z,1,2,acme"), "price.invalid_org_id", "line 2");
    assertCode(() -> csvRow("m,2026-01-01T00:00:00Z,1"), "price.invalid_file", "line 2");
  }

  @Test
  void liteLlmCostsPerTokenBecomeExactMicrosPerMillion() {
    PriceFile f = PriceFile.litellm("{\"sample_spec\": {\"input_cost_per_token\": 0},"
        + " \"gpt-4o\": {\"input_cost_per_token\": 2.5e-06, \"output_cost_per_token\": 0.00001},"
        + " \"text-embedding-3-small\": {\"input_cost_per_token\": 2e-08},"
        + " \"tiny\": {\"input_cost_per_token\": 0.0000000000001, \"output_cost_per_token\": 3.3333333333333E-7},"
        + " \"dall-e-3\": {\"output_cost_per_image\": 0.04},"
        + " \"bad name!\": {\"input_cost_per_token\": 1e-6}}", "litellm:p.json", EPOCH);
    assertThat(f.prices()).containsExactly(new ModelPrice("gpt-4o", EPOCH, 2_500_000, 10_000_000),
        new ModelPrice("text-embedding-3-small", EPOCH, 20_000, 0),
        new ModelPrice("tiny", EPOCH, 0, 333_333));
    assertThat(f.rounded()).isEqualTo(2);
    assertThat(f.skipped()).containsExactly("dall-e-3: no input_cost_per_token", "bad name!: not a valid model id");
    assertCode(() -> PriceFile.litellm("[1]", "s", EPOCH), "price.invalid_file", "top level");
    assertCode(() -> PriceFile.litellm("{\"m\": {\"input_cost_per_token\": \"cheap\"}}", "s", EPOCH),
        "price.invalid_amount", "m:");
    assertCode(() -> PriceFile.litellm("{\"m\": {\"input_cost_per_token\": 5}}", "s", EPOCH), "price.invalid_amount",
        "m:");
  }

  private static PriceFile csvRow(String row) {
    return PriceFile.csv(List.of(PriceFile.CSV_HEADER, row), "csv:x");
  }

  private static void assertCode(Runnable r, String code, String inMessage) {
    assertThatThrownBy(r::run).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo(code))
        .hasMessageContaining(inMessage);
  }
}
