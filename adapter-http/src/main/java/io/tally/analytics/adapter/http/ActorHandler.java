package io.tally.analytics.adapter.http;

import io.javalin.http.Context;
import io.tally.analytics.core.rbac.Actor;

/**
 * A route handler that needs to know who is calling. The server authenticates and rate-limits before calling
 * it, so {@code actor} is always present; the handler passes it to the use case, whose {@code AccessGuard}
 * decides and audits.
 */
@FunctionalInterface
interface ActorHandler {
  /**
   * @param ctx the request and response
   * @param actor the authenticated caller
   * @throws Exception anything; {@link ErrorResponses} maps it to the one error shape
   */
  void handle(Context ctx, Actor actor) throws Exception;
}
