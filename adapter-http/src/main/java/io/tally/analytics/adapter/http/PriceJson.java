package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.pricing.InvalidPriceException;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.usage.UsageEventRules;
import io.tally.analytics.ports.in.ManagePrices.PriceChangeReport;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The price book's wire format (camelCase, like the usage API) and its mapping to the core types. */
final class PriceJson {
  /** A malformed organisation id (422). */
  static final String INVALID_ORG_ID = "price.invalid_org_id";

  private PriceJson() {}

  /**
   * Body of {@code PUT /analytics/v1/prices}. Fields arrive as JSON nodes so that each wrong one gets its own
   * code and message (an amount must be a JSON integer: 0.5 or "600000" is refused, never rounded).
   */
  record PriceBody(@JsonProperty("modelId") JsonNode modelId, @JsonProperty("effectiveFrom") JsonNode effectiveFrom,
      @JsonProperty("inputMicrosPer1M") JsonNode inputMicrosPer1M,
      @JsonProperty("outputMicrosPer1M") JsonNode outputMicrosPer1M, @JsonProperty("orgId") JsonNode orgId) {

    ModelPrice toPrice() {
      if (modelId == null || !modelId.isTextual()) {
        throw new InvalidPriceException(InvalidPriceException.INVALID_MODEL_ID, "modelId is required (a string)");
      }
      if (effectiveFrom == null || !effectiveFrom.isTextual()) {
        throw new InvalidPriceException(InvalidPriceException.INVALID_EFFECTIVE_FROM,
            "effectiveFrom is required (RFC 3339, e.g. 2026-01-01T00:00:00Z)");
      }
      return new ModelPrice(modelId.asText(), org(orgId), instant(effectiveFrom.asText()),
          amount(inputMicrosPer1M, "inputMicrosPer1M"), amount(outputMicrosPer1M, "outputMicrosPer1M"));
    }

    private static Optional<UUID> org(JsonNode orgId) {
      if (orgId == null || orgId.isNull()) {
        return Optional.empty();
      }
      if (!orgId.isTextual()) {
        throw new InvalidPriceException(INVALID_ORG_ID, "orgId must be a canonical UUID string");
      }
      return Optional.of(orgOf(orgId.asText()));
    }

    private static long amount(JsonNode node, String field) {
      if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
        throw new InvalidPriceException(InvalidPriceException.INVALID_AMOUNT, field
            + " is required: a JSON integer of micro-units per 1M tokens, 0.." + ModelPrice.MAX_MICROS_PER_MILLION);
      }
      return node.asLong();
    }
  }

  /** @return a canonical UUID, or {@code price.invalid_org_id} */
  static UUID orgOf(String text) {
    if (!UsageEventRules.isCanonicalUuid(text)) {
      throw new InvalidPriceException(INVALID_ORG_ID, "orgId must be a canonical UUID");
    }
    return UUID.fromString(text);
  }

  /** @return the instant of RFC 3339 text with an offset, or {@code price.invalid_effective_from} */
  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_EFFECTIVE_FROM,
          "effectiveFrom must be an RFC 3339 timestamp with offset, e.g. 2026-01-01T00:00:00Z");
    }
  }

  /** One entry as {@code GET} shows it; {@code orgId} is null for a list price. */
  record EntryView(@JsonProperty("modelId") String modelId, @JsonProperty("orgId") String orgId,
      @JsonProperty("effectiveFrom") Instant effectiveFrom,
      @JsonProperty("inputMicrosPer1M") long inputMicrosPer1M,
      @JsonProperty("outputMicrosPer1M") long outputMicrosPer1M, @JsonProperty("source") String source,
      @JsonProperty("recordedAt") Instant recordedAt) {
    static EntryView from(PriceEntry e) {
      ModelPrice p = e.price();
      return new EntryView(p.modelId(), p.orgId().map(UUID::toString).orElse(null), p.effectiveFrom(),
          p.inputMicrosPerMillionTokens(), p.outputMicrosPerMillionTokens(), e.source(), e.recordedAt());
    }
  }

  /** Answer of {@code GET /analytics/v1/prices}. */
  record ListView(@JsonProperty("prices") List<EntryView> prices) {
    static ListView from(List<PriceEntry> entries) {
      return new ListView(entries.stream().map(EntryView::from).toList());
    }
  }

  /** One changed entry: {@code before} is null for an addition, {@code after} for a deletion. */
  record ChangeView(@JsonProperty("modelId") String modelId, @JsonProperty("orgId") String orgId,
      @JsonProperty("effectiveFrom") Instant effectiveFrom, @JsonProperty("before") EntryView before,
      @JsonProperty("after") EntryView after) {
    static ChangeView from(PriceChange c) {
      PriceKey k = c.key();
      return new ChangeView(k.modelId(), k.orgId().map(UUID::toString).orElse(null), k.effectiveFrom(),
          c.before().map(EntryView::from).orElse(null), c.after().map(EntryView::from).orElse(null));
    }
  }

  /** Answer of {@code PUT} and {@code DELETE}: what changed and how many hours the rollup re-prices. */
  record ChangeReportView(@JsonProperty("changes") List<ChangeView> changes,
      @JsonProperty("unchanged") int unchanged, @JsonProperty("hoursRepriced") long hoursRepriced) {
    static ChangeReportView from(PriceChangeReport r) {
      return new ChangeReportView(r.changes().stream().map(ChangeView::from).toList(), r.unchanged(),
          r.hoursMarked());
    }
  }
}
