package io.tally.analytics.adapter.rabbitmq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.UsageEventWireFormat;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.core.usage.WireValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a stream message into a wire candidate, or says why it cannot be one. Judges only the transport (content
 * type, encoding, JSON syntax, one document); the event's shape is judged by the core's
 * {@link UsageEventWireFormat}, the reader HTTP uses too, and its values by {@code UsageEventValidator}, so both
 * ingest paths give a document the same verdict ({@code WireFormatAgreementProperties} in {@code app} checks it).
 * Public so that test can call it.
 */
public final class UsageEventDecoder {
  /** The publisher declared another content type, or none. */
  static final String UNSUPPORTED_CONTENT_TYPE = "stream.unsupported_content_type";
  /** The body is not UTF-8, not JSON, or more than one JSON document. */
  static final String MALFORMED_MESSAGE = "stream.malformed_message";

  private final JsonFactory json = JsonFactory.builder()
      // Last-wins on a repeated key would let two publishers' readings of one message differ; refuse it.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** What one message turned out to be. */
  public sealed interface Decoded permits Candidate, Unreadable {}

  /**
   * A usage event's shape, ready for the use case's validation.
   *
   * @param candidate the event's fields as text
   */
  public record Candidate(UsageEventCandidate candidate) implements Decoded {}

  /**
   * Not a usage event at all; dead-lettered by the sink.
   *
   * @param payload the body as text (invalid UTF-8 replaced, NUL characters replaced so any store can keep it)
   * @param violation why, with the message's offset in the text
   */
  public record Unreadable(String payload, Violation violation) implements Decoded {}

  /**
   * @param message one stream message
   * @return the candidate, or the dead letter's payload and reason
   */
  public Decoded decode(StreamMessage message) {
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
      if (first == null) {
        return unreadable(message, text, MALFORMED_MESSAGE, "body", "body is empty");
      }
      WireValue document = valueAt(p, first);
      if (p.nextToken() != null) {
        return unreadable(message, text, MALFORMED_MESSAGE, "body", "content after the JSON document");
      }
      UsageEventWireFormat.Read read = UsageEventWireFormat.read(document, Optional.of(text));
      if (read instanceof UsageEventWireFormat.Refused refused) {
        Violation why = refused.violation();
        return unreadable(message, text, why.errorCode(), why.field(), why.message());
      }
      return new Candidate(((UsageEventWireFormat.Parsed) read).candidate());
    }
  }

  /** Reads the value starting at {@code token}, exactly: numbers as written, never through a double. */
  private static WireValue valueAt(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, WireValue> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          fields.put(name, valueAt(p, p.nextToken()));
        }
        return new WireValue.Obj(fields);
      }
      case START_ARRAY -> {
        List<WireValue> elements = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          elements.add(valueAt(p, t));
        }
        return new WireValue.Arr(elements);
      }
      case VALUE_STRING -> {
        return new WireValue.Text(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return new WireValue.Num(new BigDecimal(p.getBigIntegerValue()), true);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new WireValue.Num(p.getDecimalValue(), false);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new WireValue.Bool(token == JsonToken.VALUE_TRUE);
      }
      default -> {
        return WireValue.NULL;
      }
    }
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
