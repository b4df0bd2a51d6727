package io.tally.analytics.adapter.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One row of the route table: method, path (Javalin syntax, {@code {orgId}} for parameters, the same text as
 * in {@code openapi.json}) and handler. {@link Open} routes skip authentication (health, metrics, the API
 * document); {@link ForActor} routes are authenticated and rate-limited first.
 */
public sealed interface Route {

  /** @return the HTTP method */
  HandlerType method();

  /** @return the path template */
  String path();

  /** @return {@code "GET /analytics/v1/status/healthz"} */
  default String key() {
    return method().name() + " " + path();
  }

  /** A route anyone may call. */
  record Open(HandlerType method, String path, Handler handler) implements Route {
    /** Validates. */
    public Open {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(handler, "handler");
      requireHttpRoute(method, path);
    }
  }

  /** A route for an authenticated actor. */
  record ForActor(HandlerType method, String path, ActorHandler handler) implements Route {
    /** Validates. */
    public ForActor {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(handler, "handler");
      requireHttpRoute(method, path);
    }
  }

  private static void requireHttpRoute(HandlerType method, String path) {
    if (!method.isHttpMethod()) {
      throw new IllegalArgumentException(method + " is a filter type, not an HTTP method");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
  }

  /** @return an unauthenticated route */
  static Route open(HandlerType method, String path, Handler handler) {
    return new Open(method, path, handler);
  }

  /** @return an authenticated, rate-limited route */
  static Route forActor(HandlerType method, String path, ActorHandler handler) {
    return new ForActor(method, path, handler);
  }
}
