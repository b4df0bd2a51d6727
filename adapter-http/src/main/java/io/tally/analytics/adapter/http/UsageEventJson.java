package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.usage.UsageEventWireFormat;
import io.tally.analytics.core.usage.WireValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hands one element of a usage batch to the core's {@link UsageEventWireFormat}, the reader every ingest path
 * shares: this class only turns Jackson's tree (read with exact numbers, {@link JsonBodies#readExactTree}) into
 * the core's neutral {@link WireValue}. Public so that the test proving HTTP and the stream give every document
 * the same verdict can call it.
 */
public final class UsageEventJson {
  private UsageEventJson() {}

  /**
   * @param element one element of {@code events}
   * @return the candidate, or why the element is not a usage event's shape
   */
  public static UsageEventWireFormat.Read read(JsonNode element) {
    return UsageEventWireFormat.read(wireValueOf(element), Optional.of(element.toString()));
  }

  static WireValue wireValueOf(JsonNode node) {
    if (node.isObject()) {
      Map<String, WireValue> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        fields.put(field.getKey(), wireValueOf(field.getValue()));
      }
      return new WireValue.Obj(fields);
    }
    if (node.isArray()) {
      List<WireValue> elements = new ArrayList<>(node.size());
      node.forEach(e -> elements.add(wireValueOf(e)));
      return new WireValue.Arr(elements);
    }
    if (node.isTextual()) {
      return new WireValue.Text(node.textValue());
    }
    if (node.isNumber()) {
      return new WireValue.Num(node.decimalValue(), node.isIntegralNumber());
    }
    if (node.isBoolean()) {
      return new WireValue.Bool(node.booleanValue());
    }
    return WireValue.NULL;
  }
}
