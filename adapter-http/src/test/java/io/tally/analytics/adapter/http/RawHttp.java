package io.tally.analytics.adapter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A request written byte for byte on its own connection, for what HTTP clients refuse to send (repeated headers in
 * a chosen order, bare LF line ends). Shared by the adapter's tests and the app's ITs.
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * @param base the server, {@code http://host:port}
   * @param request the whole request, head and body, as ISO-8859-1 text
   * @return everything the server answered until it closed the connection (send {@code Connection: close})
   */
  public static String exchange(URI base, String request) {
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      s.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the status code of an answer, -1 when there is none */
  public static int status(String answer) {
    return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : -1;
  }
}
