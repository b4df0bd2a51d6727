package io.tally.analytics.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.usage.UsageEventRules;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A price file for {@code tally prices import}: our CSV, or the LiteLLM price map
 * ({@code model_prices_and_context_window.json}: one object per model with {@code input_cost_per_token} and
 * {@code output_cost_per_token} in USD per token). Parsing is all or nothing: the first bad line or entry stops the
 * import with its line or model named, so a half-read file never reaches the book.
 *
 * @param prices the entries read
 * @param source what is recorded with each entry ({@code csv:NAME} or {@code litellm:NAME})
 * @param skipped LiteLLM entries without a per-token input cost (image, audio, search pricing) or with a name that
 *     is not a valid model id, each with the reason
 * @param rounded LiteLLM entries whose cost had more than 12 decimals, rounded half-up to whole micro-units per 1M
 */
record PriceFile(List<ModelPrice> prices, String source, List<String> skipped, int rounded) {
  /** The CSV header, without the optional last column. */
  static final String CSV_HEADER = "model_id,effective_from,input_micros_per_1m,output_micros_per_1m";
  private static final String CSV_HEADER_WITH_ORG = CSV_HEADER + ",org_id";
  // USD per token -> micro-units (1e6) per million tokens (1e6).
  private static final BigDecimal PER_TOKEN_TO_MICROS_PER_1M = BigDecimal.TEN.pow(12);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The file formats. */
  enum Format { CSV, LITELLM }

  PriceFile {
    prices = List.copyOf(prices);
    skipped = List.copyOf(skipped);
  }

  /** @return {@code litellm} for a {@code .json} file, {@code csv} otherwise */
  static Format guess(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? Format.LITELLM : Format.CSV;
  }

  /**
   * @param file the file
   * @param format its format
   * @param effectiveFrom for LiteLLM entries (the map carries no dates)
   * @return the entries
   * @throws TallyException {@code price.invalid_file} or an entry's own {@code price.invalid_*} code, naming where
   */
  static PriceFile read(Path file, Format format, Instant effectiveFrom) throws IOException {
    String name = file.getFileName().toString();
    return format == Format.CSV ? csv(Files.readAllLines(file, StandardCharsets.UTF_8), "csv:" + name)
        : litellm(Files.readString(file, StandardCharsets.UTF_8), "litellm:" + name, effectiveFrom);
  }

  static PriceFile csv(List<String> lines, String source) {
    List<ModelPrice> prices = new ArrayList<>();
    boolean header = false;
    for (int n = 1; n <= lines.size(); n++) {
      String line = lines.get(n - 1).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!header) {
        if (!line.equals(CSV_HEADER) && !line.equals(CSV_HEADER_WITH_ORG)) {
          throw invalid("line " + n + ": the header must be " + CSV_HEADER + "[,org_id]");
        }
        header = true;
        continue;
      }
      prices.add(csvRow(line, n));
    }
    if (!header) {
      throw invalid("the file is empty: it needs the header " + CSV_HEADER + "[,org_id]");
    }
    return new PriceFile(prices, source, List.of(), 0);
  }

  private static ModelPrice csvRow(String line, int n) {
    String[] f = line.split(",", -1);
    if (f.length != 4 && f.length != 5) {
      throw invalid("line " + n + ": expected 4 or 5 comma-separated fields, found " + f.length);
    }
    try {
      Optional<UUID> org = f.length == 5 && !f[4].isBlank() ? Optional.of(org(f[4].strip(), n)) : Optional.empty();
      return new ModelPrice(f[0].strip(), org, instant(f[1].strip(), n), amount(f[2].strip(), n, "input"),
          amount(f[3].strip(), n, "output"));
    } catch (TallyException e) {
      throw e.getMessage().startsWith("line ") ? e
          : new TallyException(e.kind(), e.errorCode(), "line " + n + ": " + e.getMessage());
    }
  }

  static PriceFile litellm(String json, String source, Instant effectiveFrom) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw invalid("not a LiteLLM price map: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("not a LiteLLM price map: the top level must be an object keyed by model name");
    }
    List<ModelPrice> prices = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int rounded = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String model = e.getKey();
      JsonNode spec = e.getValue();
      if (model.equals("sample_spec")) {
        continue;
      }
      if (!spec.isObject() || !spec.has("input_cost_per_token")) {
        skipped.add(model + ": no input_cost_per_token");
        continue;
      }
      if (!UsageEventRules.isValidModelId(model)) {
        skipped.add(model + ": not a valid model id");
        continue;
      }
      BigDecimal[] perMillion = {perMillion(spec, "input_cost_per_token", model),
          perMillion(spec, "output_cost_per_token", model)};
      for (int i = 0; i < 2; i++) {
        if (perMillion[i].stripTrailingZeros().scale() > 0) {
          perMillion[i] = perMillion[i].setScale(0, RoundingMode.HALF_UP);
          rounded++;
        }
      }
      try {
        prices.add(new ModelPrice(model, effectiveFrom, perMillion[0].longValueExact(),
            perMillion[1].longValueExact()));
      } catch (ArithmeticException tooLarge) {
        throw new TallyException(TallyException.Kind.INVALID, "price.invalid_amount", model + ": cost out of range");
      } catch (TallyException bad) {
        throw new TallyException(bad.kind(), bad.errorCode(), model + ": " + bad.getMessage());
      }
    }
    return new PriceFile(prices, source, skipped, rounded);
  }

  /** Exact: the decimal the file wrote, times 10^12; absent output cost is 0 (embedding models). */
  private static BigDecimal perMillion(JsonNode spec, String field, String model) {
    JsonNode v = spec.get(field);
    if (v == null || v.isNull()) {
      return BigDecimal.ZERO;
    }
    if (!v.isNumber()) {
      throw new TallyException(TallyException.Kind.INVALID, "price.invalid_amount",
          model + ": " + field + " must be a number");
    }
    return v.decimalValue().multiply(PER_TOKEN_TO_MICROS_PER_1M);
  }

  private static UUID org(String text, int n) {
    if (!UsageEventRules.isCanonicalUuid(text)) {
      throw new TallyException(TallyException.Kind.INVALID, "price.invalid_org_id",
          "line " + n + ": org_id must be a canonical UUID");
    }
    return UUID.fromString(text);
  }

  private static Instant instant(String text, int n) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new TallyException(TallyException.Kind.INVALID, "price.invalid_effective_from", "line " + n
          + ": effective_from must be RFC 3339 with offset, e.g. 2026-01-01T00:00:00Z");
    }
  }

  private static long amount(String text, int n, String which) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new TallyException(TallyException.Kind.INVALID, "price.invalid_amount", "line " + n + ": " + which
          + "_micros_per_1m must be a whole number of micro-units");
    }
  }

  private static TallyException invalid(String message) {
    return new TallyException(TallyException.Kind.INVALID, "price.invalid_file", message);
  }
}
