package io.tally.analytics.core.usage;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON value as a wire adapter read it, in a form core can judge without a JSON library: adapters convert
 * their parser's values (Jackson's {@code JsonNode} over HTTP, its token stream on the stream) into this tree
 * and hand it to {@link UsageEventWireFormat}, so the two paths cannot read one document differently.
 */
public sealed interface WireValue
    permits WireValue.Text, WireValue.Num, WireValue.Bool, WireValue.Null, WireValue.Arr, WireValue.Obj {

  /** JSON {@code null}, the only instance of {@link Null}. */
  Null NULL = new Null();

  /** @return how the value is named in a refusal ("a JSON array", …) */
  String describe();

  /**
   * A JSON string.
   *
   * @param value the decoded text
   */
  record Text(String value) implements WireValue {
    /** Rejects null. */
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String describe() {
      return "a JSON string";
    }
  }

  /**
   * A JSON number, exactly (never through {@code double}).
   *
   * @param value the number
   * @param integral true when it was written without a fraction or exponent ({@code 812}, not {@code 812.0})
   */
  record Num(BigDecimal value, boolean integral) implements WireValue {
    /** Rejects null. */
    public Num {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String describe() {
      return "a JSON number";
    }
  }

  /**
   * A JSON boolean.
   *
   * @param value true or false
   */
  record Bool(boolean value) implements WireValue {
    @Override
    public String describe() {
      return "a JSON boolean";
    }
  }

  /** JSON {@code null}. */
  record Null() implements WireValue {
    @Override
    public String describe() {
      return "JSON null";
    }
  }

  /**
   * A JSON array.
   *
   * @param elements in order
   */
  record Arr(List<WireValue> elements) implements WireValue {
    /** Copies. */
    public Arr {
      elements = List.copyOf(elements);
    }

    @Override
    public String describe() {
      return "a JSON array";
    }
  }

  /**
   * A JSON object (the reader refuses repeated keys before this point).
   *
   * @param fields name to value, in document order
   */
  record Obj(Map<String, WireValue> fields) implements WireValue {
    /** Copies, keeping document order. */
    public Obj {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String describe() {
      return "a JSON object";
    }
  }
}
