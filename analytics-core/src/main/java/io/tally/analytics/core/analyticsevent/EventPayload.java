package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates and deep-copies the JSON-like payload of an AN-01 event (OWASP API4: bounded input).
 *
 * <p>Accepted values: {@link String}, {@link Boolean}, integral numbers ({@code Byte..Long}, {@link BigInteger}),
 * finite {@code Float}/{@code Double}, {@link BigDecimal}, and nested {@code Map<String, ?>} / {@code List<?>}
 * of the same; no nulls anywhere (absent means absent). Limits: depth {@value #MAX_DEPTH} (the top-level map is
 * depth 1), {@value #MAX_KEYS} map keys in total, {@value #MAX_ELEMENTS} list elements in total, keys up to
 * {@value #MAX_KEY_LENGTH} characters, strings up to {@value #MAX_STRING_LENGTH} characters, and an estimated
 * compact-JSON size up to {@value #MAX_SERIALIZED_CHARS} characters. Any breach is
 * {@code analytics_event.invalid_payload} with the path of the offending value.
 */
public final class EventPayload {
  /** Error code for any payload breach. */
  public static final String INVALID = "analytics_event.invalid_payload";
  /** Deepest nesting allowed. */
  public static final int MAX_DEPTH = 8;
  /** Map entries allowed across the whole payload. */
  public static final int MAX_KEYS = 256;
  /** List elements allowed across the whole payload. */
  public static final int MAX_ELEMENTS = 1024;
  /** Longest key. */
  public static final int MAX_KEY_LENGTH = 128;
  /** Longest string value. */
  public static final int MAX_STRING_LENGTH = 8192;
  /** Largest estimated serialized size (32 KiB of characters). */
  public static final int MAX_SERIALIZED_CHARS = 32 * 1024;

  private int keys;
  private int elements;
  private long chars;

  private EventPayload() {}

  /**
   * @param payload the raw payload
   * @return an immutable deep copy preserving key order
   * @throws TallyException {@code analytics_event.invalid_payload}
   */
  public static Map<String, Object> validated(Map<String, ?> payload) {
    if (payload == null) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID, "payload must not be null (use an empty object).");
    }
    return new EventPayload().copyMap(payload, "payload", 1);
  }

  private Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
    checkDepth(path, depth);
    chars += 2;
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key) || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
        throw fail(path, "keys must be strings of 1.." + MAX_KEY_LENGTH + " characters");
      }
      if (++keys > MAX_KEYS) {
        throw fail(path, "more than " + MAX_KEYS + " keys");
      }
      chars += key.length() + 4;
      copy.put(key, copyValue(e.getValue(), path + "." + key, depth));
    }
    return Collections.unmodifiableMap(copy);
  }

  private List<Object> copyList(List<?> list, String path, int depth) {
    checkDepth(path, depth);
    chars += 2;
    List<Object> copy = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (++elements > MAX_ELEMENTS) {
        throw fail(path, "more than " + MAX_ELEMENTS + " list elements");
      }
      chars += 1;
      copy.add(copyValue(list.get(i), path + "[" + i + "]", depth));
    }
    return Collections.unmodifiableList(copy);
  }

  private Object copyValue(Object v, String path, int depth) {
    Object copy;
    if (v instanceof Map<?, ?> m) {
      copy = copyMap(m, path, depth + 1);
    } else if (v instanceof List<?> l) {
      copy = copyList(l, path, depth + 1);
    } else if (v instanceof String s) {
      if (s.length() > MAX_STRING_LENGTH) {
        throw fail(path, "string longer than " + MAX_STRING_LENGTH + " characters");
      }
      // Escapes can double a character; counting every character as one would let a quote-heavy payload through.
      chars += s.length() + s.chars().filter(c -> c == '"' || c == '\\' || c < 0x20).count() + 2;
      copy = s;
    } else if (v instanceof Boolean b) {
      chars += 5;
      copy = b;
    } else if (isAcceptedNumber(v)) {
      chars += v.toString().length();
      copy = v;
    } else {
      throw fail(path, v == null ? "null values are not accepted" : "unsupported value type "
          + v.getClass().getSimpleName());
    }
    if (chars > MAX_SERIALIZED_CHARS) {
      throw fail(path, "payload larger than " + MAX_SERIALIZED_CHARS + " characters when serialized");
    }
    return copy;
  }

  private static boolean isAcceptedNumber(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d);
    }
    if (v instanceof Float f) {
      return Float.isFinite(f);
    }
    return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger || v instanceof BigDecimal;
  }

  private static void checkDepth(String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw fail(path, "nested deeper than " + MAX_DEPTH);
    }
  }

  private static TallyException fail(String path, String why) {
    return new TallyException(TallyException.Kind.INVALID, INVALID, path + ": " + why + ".");
  }
}
