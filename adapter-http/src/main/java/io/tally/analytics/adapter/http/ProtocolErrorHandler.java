package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty rejects before Javalin sees it (bad UTF-8 in the path, a URI or headers too long, a
 * malformed request line) with the same JSON error shape instead of Jetty's HTML page.
 */
final class ProtocolErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String requestId = RequestIds.acceptOrGenerate(null);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(RequestIds.HEADER, requestId);
    response.write(true, ByteBuffer.wrap(body(code, requestId)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String requestId = RequestIds.acceptOrGenerate(null);
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(RequestIds.HEADER, requestId);
    return ByteBuffer.wrap(body(status, requestId));
  }

  private static byte[] body(int status, String requestId) {
    ApiError error = ErrorResponses.forProtocolStatus(status, requestId);
    try {
      return JSON.writeValueAsBytes(error.toBody());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
