package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ReadinessCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Readiness probes for services the app reaches by URL before their adapters are wired in (RabbitMQ until its consumer is
 * wired): a TCP connect to the URL's host and port.
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
