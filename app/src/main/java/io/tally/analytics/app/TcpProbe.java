package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ReadinessCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Readiness probes for services the app reaches by URL before their adapters are wired in: a TCP connect, and for
 * Redis a {@code PING} that must answer {@code +PONG} (or an auth error, which still proves Redis is up).
 */
final class TcpProbe {
  private static final int TIMEOUT_MS = 2_000;

  private TcpProbe() {}

  /** @return a probe that connects to the URL's host and port */
  static ReadinessCheck.Probe connect(ServiceUrl url, int defaultPort) {
    return () -> {
      try (Socket s = open(url, defaultPort)) {
        // Connected: the listener is up.
      }
    };
  }

  /** @return a probe that sends a Redis {@code PING} */
  static ReadinessCheck.Probe redisPing(ServiceUrl url) {
    return () -> {
      try (Socket s = open(url, 6379)) {
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64];
        int n = in.read(buf);
        String answer = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        if (!answer.startsWith("+PONG") && !answer.startsWith("-NOAUTH")) {
          throw new IOException("unexpected answer to PING");
        }
      }
    };
  }

  private static Socket open(ServiceUrl url, int defaultPort) throws IOException {
    URI uri = URI.create(url.value());
    Socket s = new Socket();
    try {
      s.setSoTimeout(TIMEOUT_MS);
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort), TIMEOUT_MS);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
