package io.tally.analytics.adapter.http;

import io.tally.analytics.core.rbac.Actor;

/**
 * Turns a request's credentials into an {@link Actor}. Authorization (RBAC, object scope) is not its job: the
 * use cases ask the {@code AccessGuard} with the actor produced here.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * @param request the caller's address and headers
   * @return the authenticated actor
   * @throws AuthenticationException (401) when the caller cannot be identified
   */
  Actor authenticate(CallerRequest request);
}
