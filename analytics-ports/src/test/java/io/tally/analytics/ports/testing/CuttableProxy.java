package io.tally.analytics.ports.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a local service (Redis, the RabbitMQ stream port) that a test can cut (an outage) and
 * restore on the same port. Cut straight after creation, it is an address where the service is not yet.
 */
public final class CuttableProxy implements AutoCloseable {
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private int port;

  /** Relays 127.0.0.1:{@link #port()} to 127.0.0.1:{@code targetPort}, listening at once. */
  public CuttableProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    listenOnAFixedPort();
  }

  /**
   * Listens below Linux's ephemeral range (32768-60999): a port the kernel handed out at random could be given
   * to some outgoing connection (even the cache's own reconnect) while the relay is cut, and restore() could
   * then not bind it again (seen once as "Address already in use" in a full run).
   */
  private void listenOnAFixedPort() throws IOException {
    java.util.Random random = new java.util.Random();
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        listen(20_000 + random.nextInt(10_000));
        return;
      } catch (java.net.BindException e) {
        last = e;
      }
    }
    throw last;
  }

  /** @return the port the relay listens on (the same after {@link #restore()}) */
  public int port() {
    return port;
  }

  /** Closes the listener and every relayed connection: clients see a reset and cannot reconnect. */
  public synchronized void cut() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port. */
  public synchronized void restore() throws IOException {
    // The port can stay busy for a moment after cut(); retry briefly rather than fail the outage test.
    for (int attempt = 0; ; attempt++) {
      try {
        listen(port);
        return;
      } catch (java.net.BindException e) {
        if (attempt >= 50) {
          throw e;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private void listen(int onPort) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress("127.0.0.1", onPort));
    server = s;
    port = s.getLocalPort();
    Thread acceptor = new Thread(() -> accept(s), "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket("127.0.0.1", targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // the other side or cut() closed it
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
