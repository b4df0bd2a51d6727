package io.tally.analytics.adapter.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tally.analytics.core.rbac.Actor;
import java.util.List;
import java.util.Optional;

/**
 * A configured, startable HTTP server. Built by {@link HttpServerFactory}; {@link #registeredRoutes()} lists
 * what Javalin actually registered, which the OpenAPI coverage test compares with {@code openapi.json}.
 */
public final class TallyHttpServer implements AutoCloseable {
  /** Context attribute holding the authenticated {@link Actor} of a {@link Route.ForActor} request. */
  public static final String ACTOR_ATTRIBUTE = "tally.actor";

  private final Javalin app;
  private final HttpSettings settings;
  private final List<String> registeredRoutes;

  TallyHttpServer(Javalin app, HttpSettings settings, List<String> registeredRoutes) {
    this.app = app;
    this.settings = settings;
    this.registeredRoutes = registeredRoutes;
  }

  /**
   * Binds and starts serving.
   *
   * @return this
   */
  public TallyHttpServer start() {
    app.start(settings.host(), settings.port());
    return this;
  }

  /** @return the bound port (the real one when configured as 0) */
  public int port() {
    return app.port();
  }

  /** @return {@code http://host:port} of the running server */
  public String baseUrl() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + host + ":" + port();
  }

  /** @return {@code "METHOD /path"} for every HTTP route Javalin registered, in registration order */
  public List<String> registeredRoutes() {
    return List.copyOf(registeredRoutes);
  }

  /** Stops accepting connections and lets in-flight requests finish (Jetty's graceful stop). */
  public void stop() {
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * @param ctx a request context
   * @return the actor authenticated for this request, empty on open routes
   */
  public static Optional<Actor> actor(Context ctx) {
    return Optional.ofNullable(ctx.attribute(ACTOR_ATTRIBUTE));
  }
}
