package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import io.tally.analytics.core.TallyException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies as JSON strictly and within the size limit: malformed JSON is
 * {@code request.malformed_json} (400), a wrong type {@code request.invalid_type} (422), an oversize body
 * {@code request.too_large} (413). Strings are never coerced to numbers, nor floats to integers, nor numbers or booleans to strings.
 */
public final class JsonBodies {
  private final ObjectMapper mapper;
  private final long maxBodyBytes;

  /** @param maxBodyBytes the largest body accepted */
  public JsonBodies(long maxBodyBytes) {
    this.mapper = strictMapper();
    this.maxBodyBytes = maxBodyBytes;
  }

  /** @return the mapper used for bodies and responses: ISO-8601 instants, strict scalars, no trailing tokens */
  public static ObjectMapper strictMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Numbers and booleans are not text either: {"event_type": 5} is a wrong type, not the string "5".
        .withCoercionConfig(LogicalType.Textual, c -> c
            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
  }

  /** @return the mapper, for handlers that build responses by hand */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * @param ctx the request
   * @param type the target type (a record, a {@code JsonNode}, a {@code Map})
   * @param <T> target type
   * @return the parsed body
   */
  public <T> T read(Context ctx, Class<T> type) {
    return parse(boundedBody(ctx), mapper.readerFor(type));
  }

  /**
   * @param ctx the request
   * @return the body as a tree whose numbers keep their exact decimal value (never a {@code double}), for
   *     readers that hand every number on as text
   */
  JsonNode readExactTree(Context ctx) {
    return readExactTree(boundedBody(ctx));
  }

  /**
   * @param body a request body already within the size limit
   * @return the body as a tree with exact numbers, refused as {@link #read} refuses
   */
  public JsonNode readExactTree(byte[] body) {
    return parse(body, mapper.readerFor(JsonNode.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS));
  }

  private <T> T parse(byte[] body, ObjectReader reader) {
    if (body.length == 0) {
      throw new RequestRejectedException("request.malformed_json", "Request body is empty; JSON expected");
    }
    try {
      T value = reader.readValue(body);
      if (value == null) {
        throw new RequestRejectedException("request.malformed_json", "Request body is JSON null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ErrorResponses.rejectionOf(e);
    } catch (IOException e) {
      throw new RequestRejectedException("request.malformed_json", "Request body could not be read");
    }
  }

  private byte[] boundedBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        OversizeBodies.drain(in, declared, maxBodyBytes);
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new RequestRejectedException("request.malformed_json", "Request body could not be read");
    }
  }

  private RequestRejectedException tooLarge() {
    return new RequestRejectedException(TallyException.Kind.TOO_LARGE, "request.too_large",
        "Request body exceeds " + maxBodyBytes + " bytes");
  }
}
