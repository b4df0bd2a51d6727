package io.tally.analytics.adapter.cloudstores;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The event payload as JSON text. The document stores keep it as one text attribute rather than a native map:
 * Firestore has no arrays of arrays and DynamoDB no exact decimals beyond 38 digits, and the payload is read back,
 * never filtered on. Decimals read back as {@link java.math.BigDecimal}, so no digit is lost.
 */
final class PayloadJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private PayloadJson() {}

  /** @return compact JSON of a validated payload */
  public static String write(Map<String, Object> payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a validated payload always serializes", e);
    }
  }

  /** @return the payload map of {@code json} */
  public static Map<String, Object> read(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored payload is not JSON", e);
    }
  }
}
