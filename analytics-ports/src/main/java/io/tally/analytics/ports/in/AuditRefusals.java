package io.tally.analytics.ports.in;

import java.util.Objects;
import java.util.Optional;

/**
 * Audits the requests refused before any use case could authorize them: authentication failures (401) and rate
 * limiting (429). Aggregated per client address, error code and minute, so a flood cannot grow the audit log
 * without bound: the first refusal of each (address, code, minute) is appended at once, the minute's total when
 * the minute is over ({@link #flush}). At most two records per address, code and minute.
 */
public interface AuditRefusals {
  /** @param refusal one refused request */
  void refused(Refusal refusal);

  /** Appends the totals of the minutes that are over. The host calls it every few seconds and at shutdown. */
  void flush();

  /** @return a sink that audits nothing, for adapter tests that do not look at the audit log */
  static AuditRefusals none() {
    return new AuditRefusals() {
      @Override
      public void refused(Refusal refusal) {}

      @Override
      public void flush() {}
    };
  }

  /**
   * @param clientAddress the connection's peer address (never a forwarded-for header)
   * @param errorCode why it was refused, for example {@code auth.invalid_token} or {@code rate_limited}
   * @param subject who asked, when it was authenticated (a 429 after authentication)
   */
  record Refusal(String clientAddress, String errorCode, Optional<String> subject) {
    /** Validates. */
    public Refusal {
      Objects.requireNonNull(clientAddress, "clientAddress");
      Objects.requireNonNull(errorCode, "errorCode");
      Objects.requireNonNull(subject, "subject");
    }
  }
}
