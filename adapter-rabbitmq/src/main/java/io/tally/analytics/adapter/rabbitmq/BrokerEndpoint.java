package io.tally.analytics.adapter.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Host and port of the stream endpoint, with a cheap TCP reachability check for the consumer's monitor. */
record BrokerEndpoint(String host, int port) {
  private static final int DEFAULT_PORT = 5552;
  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  static BrokerEndpoint of(String uri) {
    URI u = URI.create(uri);
    String host = u.getHost() == null ? "localhost" : u.getHost();
    return new BrokerEndpoint(host, u.getPort() < 0 ? DEFAULT_PORT : u.getPort());
  }

  boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
