package io.tally.analytics.app;

import io.tally.analytics.adapter.http.ExportRoutes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The absolute URL prefix of the embedded store's file links: {@code EXPORT_PUBLIC_URL} when set (a server behind
 * a proxy or load balancer), else the URL the server listens on, known only once it has started.
 */
final class ExportLinkBase implements Supplier<String> {
  private final Optional<String> configured;
  private final AtomicReference<String> listening = new AtomicReference<>();

  ExportLinkBase(Optional<String> publicUrl) {
    this.configured = publicUrl;
  }

  /** Records the server's own URL, used when no {@code EXPORT_PUBLIC_URL} is set. */
  void listeningAt(String baseUrl) {
    listening.set(baseUrl.replaceAll("/+$", ""));
  }

  @Override
  public String get() {
    String base = configured.orElseGet(() -> {
      String own = listening.get();
      if (own == null) {
        throw new IllegalStateException("no HTTP server is running to serve export links; set EXPORT_PUBLIC_URL");
      }
      return own;
    });
    return base + ExportRoutes.FILES;
  }
}
