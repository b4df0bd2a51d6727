package io.tally.analytics.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.csv.CsvWriter;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExportCsvTest {
  @Test
  void moneyIsAnExactDecimalString() {
    assertThat(ExportCsv.usd(23_230_720)).isEqualTo("23.230720");
    assertThat(ExportCsv.usd(0)).isEqualTo("0.000000");
    assertThat(ExportCsv.usd(1)).isEqualTo("0.000001");
    assertThat(ExportCsv.usd(Long.MAX_VALUE)).isEqualTo("9223372036854.775807");
  }

  @Test
  void aRawRowSpellsEveryColumnAndGuardsTextCells() {
    UsageEvent e = new UsageEvent("=HYPERLINK(\"x\")", UUID.randomUUID(), Instant.parse("2025-11-03T10:15:30.123Z"),
        "llama-3-70b", Optional.empty(), Optional.of("key,12"), 812, 230, Optional.empty(), 912, UsageStatus.ERROR,
        Optional.of("upstream_timeout"), Optional.of("us-east"));
    StringBuilder out = new StringBuilder();
    ExportCsv.rawRow(new CsvWriter(out), e);
    assertThat(out).hasToString("2025-11-03T10:15:30.123Z,\"'=HYPERLINK(\"\"x\"\")\",llama-3-70b,error,"
        + "upstream_timeout,812,230,,,912,\"key,12\",,us-east\r\n");
    assertThat(ExportCsv.RAW_COLUMNS).hasSize(13);
  }

  @Test
  void theManifestIsOneJsonObjectWithEscapedText() {
    ExportManifest m = ExportJobTest.manifest(7);
    String json = m.toJson();
    assertThat(json).startsWith("{\"manifestVersion\":1,\"jobId\":\"job-1\"")
        .contains("\"rows\":7", "\"sha256\":\"" + "a".repeat(64) + "\"",
            "\"columns\":[\"bucket_start\",\"model_id\",\"requests\"", "\"asOf\":\"2025-11-08T00:00:00Z\"",
            "\"query\":{\"orgId\":\"org-a\",\"kind\":\"usage\",\"start\":\"2025-11-01T00:00:00Z\"")
        .endsWith("\"tallyVersion\":\"test\"}");
    assertThat(m.manifestKey()).isEqualTo(m.objectKey() + ".manifest.json");
    assertThat(new JsonText().string("a\"b\\c\n\u0001").toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }
}
