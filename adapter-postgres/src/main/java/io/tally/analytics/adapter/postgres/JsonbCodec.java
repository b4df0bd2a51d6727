package io.tally.analytics.adapter.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text for {@code jsonb} columns. Integral numbers read back as the smallest of {@code Integer},
 * {@code Long}, {@code BigInteger} that holds them, others as {@code BigDecimal}, never {@code double}: jsonb keeps
 * numerics exactly and so does this codec.
 * Key order is not preserved: jsonb stores object keys in its own order.
 */
final class JsonbCodec {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<TreeMap<String, String>> STRINGS = new TypeReference<>() {};

  private JsonbCodec() {}

  static String write(Map<String, ?> value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value is not serializable as JSON", e);
    }
  }

  static Map<String, Object> readObject(String json) {
    return read(json, OBJECT);
  }

  static Map<String, String> readStrings(String json) {
    return read(json, STRINGS);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new PostgresAdapterException("jsonb column holds JSON of an unexpected shape", e);
    }
  }
}
