package io.tally.analytics.core;

import java.util.Objects;

/**
 * Root of every Tally failure that is not an expected outcome.
 *
 * <p>Expected outcomes (a duplicate, a rejected event, a denied request) are returned as values; this type
 * is for broken invariants, refused requests and infrastructure faults. Every instance carries a stable
 * {@link #errorCode()} such as {@code event.invalid_tokens}, which clients and dashboards key on, and a
 * {@link #kind()} that says what sort of failure it is. A driving adapter translates the kind, never the
 * code's spelling, into its own protocol (the HTTP adapter maps each kind to one status, in one place).
 */
public class TallyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What sort of failure this is, independent of any protocol. */
  public enum Kind {
    /** The request cannot be read as asked: a missing or malformed parameter, a range too wide to answer. */
    MALFORMED,
    /** The request was understood, but a value breaks a domain rule. */
    INVALID,
    /** The caller's identity is missing or cannot be verified. */
    UNAUTHENTICATED,
    /** The caller is known but may not do this (permission, organisation scope, a forged link). */
    FORBIDDEN,
    /** The thing asked for does not exist (or the caller may not know that it exists). */
    NOT_FOUND,
    /** The thing exists, but its current state does not allow the action now. */
    CONFLICT,
    /** The thing existed but has expired and will not come back. */
    GONE,
    /** The request is larger than a configured limit. */
    TOO_LARGE,
    /** The caller has used up its allowance for now; it may retry later. */
    RATE_LIMITED,
    /** A dependency (store, backend, route) is missing or down; the same request may succeed later. */
    UNAVAILABLE,
    /** A broken invariant or an unexpected failure: a bug or an unclassified infrastructure fault. */
    FAULT
  }

  private final Kind kind;
  private final String errorCode;

  /**
   * @param kind what sort of failure this is
   * @param errorCode stable, dotted, lower-case code (for example {@code store.unavailable})
   * @param message human-readable explanation, safe to show to API clients
   */
  public TallyException(Kind kind, String errorCode, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /**
   * @param kind what sort of failure this is
   * @param errorCode stable code
   * @param message explanation
   * @param cause underlying failure
   */
  public TallyException(Kind kind, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /** @return the stable error code clients and dashboards key on */
  public String errorCode() {
    return errorCode;
  }

  /** @return what sort of failure this is */
  public Kind kind() {
    return kind;
  }
}
