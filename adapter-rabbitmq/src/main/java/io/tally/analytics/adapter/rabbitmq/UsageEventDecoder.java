package io.tally.analytics.adapter.rabbitmq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a stream message into a wire candidate, or says why it cannot be one. Deliberately dumb about content:
 * every scalar goes to {@link UsageEventCandidate#fromWireFields} as its source text so that
 * {@code UsageEventValidator} applies exactly the rules HTTP ingest applies. Only what the validator cannot
 * see (content type, encoding, JSON syntax, shape) is judged here.
 */
final class UsageEventDecoder {
  /** The publisher declared another content type, or none. */
  static final String UNSUPPORTED_CONTENT_TYPE = "stream.unsupported_content_type";
  /** The body is not UTF-8, not JSON, or not one JSON object. */
  static final String MALFORMED_MESSAGE = "stream.malformed_message";
  /** A usage-event field holds an object or array instead of a scalar. */
  static final String NESTED_VALUE = "stream.nested_value";

  /** The DESIGN appendix field names; others are ignored whatever their type, so publishers may add fields. */
  private static final Set<String> WIRE_FIELDS = Set.of("eventId", "orgId", "occurredAt", "modelId", "actorId",
      "apiKeyId", "inputTokens", "outputTokens", "costMicros", "latencyMs", "status", "errorCode", "region");

  private final JsonFactory json = JsonFactory.builder()
      // Last-wins on a repeated key would let two publishers' readings of one message differ; refuse it.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** What one message turned out to be. */
  sealed interface Decoded permits Candidate, Unreadable {}

  /** A JSON object, ready for the use case's validation. */
  record Candidate(UsageEventCandidate candidate) implements Decoded {}

  /**
   * Not a usage event at all; dead-lettered by the sink.
   *
   * @param payload the body as text (invalid UTF-8 replaced, NUL characters replaced so any store can keep it)
   * @param violation why, with the message's offset in the text
   */
  record Unreadable(String payload, Violation violation) implements Decoded {}

  Decoded decode(StreamMessage message) {
    if (!message.isJson()) {
      return unreadable(message, lossyText(message.body()), UNSUPPORTED_CONTENT_TYPE, "content-type",
          message.contentType().map(ct -> "content-type '" + ct + "'").orElse("no content-type")
              + ", expected " + UsageEventPublisher.CONTENT_TYPE);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(message.body()))
          .toString();
    } catch (CharacterCodingException e) {
      return unreadable(message, lossyText(message.body()), MALFORMED_MESSAGE, "body", "body is not valid UTF-8");
    }
    try {
      return parse(message, text);
    } catch (JsonProcessingException e) {
      return unreadable(message, text, MALFORMED_MESSAGE, "body", "body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Decoded parse(StreamMessage message, String text) throws IOException {
    try (JsonParser p = json.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return unreadable(message, text, MALFORMED_MESSAGE, "body",
            first == null ? "body is empty" : "body is " + describe(first) + ", expected a JSON object");
      }
      Map<String, String> fields = new HashMap<>();
      List<String> nested = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value.isStructStart()) {
          if (WIRE_FIELDS.contains(name)) nested.add(name);
          p.skipChildren();
        } else if (value != JsonToken.VALUE_NULL && WIRE_FIELDS.contains(name)) {
          // getText() is the token as written: 812 stays "812", 1e3 stays "1e3" for the validator to judge.
          fields.put(name, p.getText());
        }
      }
      if (p.nextToken() != null) {
        return unreadable(message, text, MALFORMED_MESSAGE, "body", "content after the JSON object");
      }
      if (!nested.isEmpty()) {
        return unreadable(message, text, NESTED_VALUE, nested.get(0),
            "field(s) " + String.join(", ", nested) + " hold an object or array, expected a scalar");
      }
      return new Candidate(UsageEventCandidate.fromWireFields(fields, Optional.of(text)));
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "a JSON array";
      case VALUE_STRING -> "a JSON string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
      case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
      case VALUE_NULL -> "JSON null";
      default -> "not a JSON object";
    };
  }

  private static Unreadable unreadable(StreamMessage message, String payload, String code, String field,
      String reason) {
    // NUL cannot be stored in a PostgreSQL text column; a poison message must not become a poison dead letter.
    return new Unreadable(payload.replace('\u0000', '\uFFFD'),
        new Violation(code, field, "offset " + message.offset() + ": " + reason));
  }

  private static String lossyText(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
