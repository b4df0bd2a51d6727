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

  /** Jetty writes error bodies only for GET, POST and HEAD by default; every method gets the one shape here. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String requestId = RequestIds.acceptOrGenerate(null);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(RequestIds.HEADER, requestId);
    // Jetty closes the connection after rejecting a malformed request but does not say so; a keep-alive client
    // would reuse the dead connection for its next request and see it dropped.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body(code, requestId)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String requestId = RequestIds.acceptOrGenerate(null);
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put(RequestIds.HEADER, requestId);
    fields.put(HttpHeader.CONNECTION, "close");
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
