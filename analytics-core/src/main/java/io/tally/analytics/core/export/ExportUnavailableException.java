package io.tally.analytics.core.export;

import io.tally.analytics.core.TallyException;

/**
 * A download was asked for a job that cannot serve one: {@code export.not_found} (no such job in the org),
 * {@code export.not_ready} (not SUCCEEDED yet, or FAILED) or {@code export.expired} (the CSV's lifetime ended).
 */
public class ExportUnavailableException extends TallyException {
  private static final long serialVersionUID = 1L;

  /** No job with that id in that organisation. */
  public static final String NOT_FOUND = "export.not_found";
  /** The job has not succeeded. */
  public static final String NOT_READY = "export.not_ready";
  /** The job succeeded but its CSV expired. */
  public static final String EXPIRED = "export.expired";

  private ExportUnavailableException(Kind kind, String errorCode, String message) {
    super(kind, errorCode, message);
  }

  /**
   * @param message explanation safe for the caller
   * @return {@value #NOT_FOUND}: no such job in the organisation
   */
  public static ExportUnavailableException notFound(String message) {
    return new ExportUnavailableException(Kind.NOT_FOUND, NOT_FOUND, message);
  }

  /**
   * @param message explanation safe for the caller
   * @return {@value #NOT_READY}: the job has not succeeded (yet)
   */
  public static ExportUnavailableException notReady(String message) {
    return new ExportUnavailableException(Kind.CONFLICT, NOT_READY, message);
  }

  /**
   * @param message explanation safe for the caller
   * @return {@value #EXPIRED}: the job's file has expired
   */
  public static ExportUnavailableException expired(String message) {
    return new ExportUnavailableException(Kind.GONE, EXPIRED, message);
  }
}
