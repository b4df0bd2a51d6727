package io.tally.analytics.adapter.http;

import io.tally.analytics.core.TallyException;

/**
 * The caller could not be identified: no credentials, a bad token, or identity headers from an untrusted
 * source. Always a 401.
 */
class AuthenticationException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** Code for a request without any identity. */
  public static final String UNAUTHENTICATED = "auth.unauthenticated";
  /** Code for a token that fails a JWT rule. */
  public static final String INVALID_TOKEN = "auth.invalid_token";
  /** Code for {@code X-Actor-*} headers from outside the trusted proxies. */
  public static final String UNTRUSTED_SOURCE = "auth.untrusted_source";

  /**
   * @param errorCode one of the constants of this class
   * @param message what was missing or wrong; never echoes the token
   */
  public AuthenticationException(String errorCode, String message) {
    super(Kind.UNAUTHENTICATED, errorCode, message);
  }
}
