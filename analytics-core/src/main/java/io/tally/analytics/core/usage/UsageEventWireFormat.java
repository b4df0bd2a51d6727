package io.tally.analytics.core.usage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one reader of the usage-event wire format (the DESIGN appendix), used by every ingest path: HTTP batches
 * and stream messages alike hand each event here as a {@link WireValue}. It decides only what the validator
 * cannot see, the shape; {@link UsageEventValidator} then judges the values, so a document gets one verdict
 * whichever way it arrived.
 *
 * <ul>
 *   <li>An event that is not a JSON object is refused with {@value #NOT_AN_OBJECT}.
 *   <li>A wire field holding an object or array is refused with {@value #NESTED_VALUE}: a scalar's text is what
 *       the rules judge, and reading {@code {"inputTokens": {"n": 5}}} as the text {@code {"n":5}} would store
 *       something no publisher meant.
 *   <li>Fields not in {@link #FIELDS} are ignored whatever their type, so publishers may add fields; a JSON
 *       {@code null} is an absent field.
 *   <li>A scalar becomes its text: a string as decoded, {@code true}/{@code false}, an integer as its exact
 *       decimal digits ({@code -0} is {@code 0}), any other number as its exact decimal value without trailing
 *       zeros and never as a plain integer ({@code 8.50} is {@code 8.5}, {@code 5.0} is {@code 5.0}, {@code 1e3}
 *       is {@code 1E+3}), which the integer rules then refuse.
 * </ul>
 */
public final class UsageEventWireFormat {
  /** An event that is not a JSON object. */
  public static final String NOT_AN_OBJECT = "event.not_an_object";
  /** A usage-event field holds an object or array instead of a scalar. */
  public static final String NESTED_VALUE = "event.nested_value";

  /** The appendix's field names, in appendix order. */
  public static final List<String> FIELDS = List.of("eventId", "orgId", "occurredAt", "modelId", "actorId",
      "apiKeyId", "inputTokens", "outputTokens", "costMicros", "latencyMs", "status", "errorCode", "region");

  private UsageEventWireFormat() {}

  /** What one document turned out to be. */
  public sealed interface Read permits Parsed, Refused {}

  /**
   * A candidate for the validator.
   *
   * @param candidate the event's fields as text
   */
  public record Parsed(UsageEventCandidate candidate) implements Read {
    /** Rejects null. */
    public Parsed {
      Objects.requireNonNull(candidate, "candidate");
    }
  }

  /**
   * Not a usage event's shape; dead-lettered with this reason.
   *
   * @param violation {@value #NOT_AN_OBJECT} (field {@code event}) or {@value #NESTED_VALUE} (the first field)
   */
  public record Refused(Violation violation) implements Read {
    /** Rejects null. */
    public Refused {
      Objects.requireNonNull(violation, "violation");
    }
  }

  /**
   * @param document one event as the adapter read it
   * @param rawPayload the event's text as received, kept for the dead-letter store
   * @return the candidate, or why the document is not one
   */
  public static Read read(WireValue document, Optional<String> rawPayload) {
    if (!(document instanceof WireValue.Obj object)) {
      return new Refused(new Violation(NOT_AN_OBJECT, "event",
          "each event must be a JSON object, got " + document.describe()));
    }
    Map<String, String> fields = new HashMap<>();
    List<String> nested = new ArrayList<>();
    for (String name : FIELDS) {
      WireValue value = object.fields().get(name);
      if (value instanceof WireValue.Obj || value instanceof WireValue.Arr) {
        nested.add(name);
      } else if (value != null && !(value instanceof WireValue.Null)) {
        fields.put(name, textOf(value));
      }
    }
    if (!nested.isEmpty()) {
      return new Refused(new Violation(NESTED_VALUE, nested.get(0),
          "field(s) " + String.join(", ", nested) + " hold an object or array, expected a scalar"));
    }
    return new Parsed(UsageEventCandidate.fromWireFields(fields, rawPayload));
  }

  private static String textOf(WireValue scalar) {
    if (scalar instanceof WireValue.Text text) {
      return text.value();
    }
    if (scalar instanceof WireValue.Bool bool) {
      return Boolean.toString(bool.value());
    }
    WireValue.Num number = (WireValue.Num) scalar;
    if (number.integral()) {
      return number.value().toBigIntegerExact().toString();
    }
    // Never expanded to plain digits: 1e999999999 must stay a short text, not a billion characters.
    BigDecimal exact = number.value().signum() == 0 ? BigDecimal.ZERO : number.value().stripTrailingZeros();
    return exact.scale() == 0 ? exact + ".0" : exact.toString();
  }
}
