package io.tally.analytics.ports.service;

import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.ports.in.AuditRefusals;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link AuditRefusals} of the server: counts refusals per (client address, error code, minute) in memory,
 * appends the first of each to the {@link AuditLog} right away and the minute's total once the minute is over.
 *
 * <p>Memory is bounded too: beyond {@value #MAX_OPEN_KEYS} open (address, code) pairs in a minute, further
 * addresses are counted together under the address {@code *}.
 */
public final class RefusalAuditService implements AuditRefusals {
  /** Open (address, code, minute) counters kept at most; the rest are counted under address {@code *}. */
  public static final int MAX_OPEN_KEYS = 10_000;
  /** Scope prefix of refusal records: {@code address:<ip>}. */
  public static final String SCOPE_PREFIX = "address:";
  static final String ANY_ADDRESS = "*";

  private final AuditLog auditLog;
  private final TimeSource time;
  private final Map<Key, Count> open = new HashMap<>();
  private Instant openMinute = Instant.MIN;

  /**
   * @param auditLog where the records go
   * @param time the clock the minutes are read from
   */
  public RefusalAuditService(AuditLog auditLog, TimeSource time) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public void refused(Refusal refusal) {
    Instant now = time.now();
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    Key key = new Key(refusal.clientAddress(), refusal.errorCode(), minute);
    boolean first;
    boolean minutePassed;
    synchronized (open) {
      if (!open.containsKey(key) && open.size() >= MAX_OPEN_KEYS) {
        key = new Key(ANY_ADDRESS, refusal.errorCode(), minute);
      }
      Count count = open.computeIfAbsent(key, k -> new Count());
      first = ++count.refusals == 1;
      // The first refusal of a new minute closes the earlier ones (the periodic flush closes them otherwise).
      minutePassed = minute.isAfter(openMinute) && !openMinute.equals(Instant.MIN);
      if (minute.isAfter(openMinute)) {
        openMinute = minute;
      }
    }
    if (first) {
      auditLog.append(entry(now, key, refusal.subject(), "first refusal of the minute from " + key.address()
          + " (" + key.minute() + "); the minute's total follows if there are more"));
    }
    if (minutePassed) {
      flush();
    }
  }

  @Override
  public void flush() {
    Instant minute = time.now().truncatedTo(ChronoUnit.MINUTES);
    List<AuditEntry> totals = new ArrayList<>();
    synchronized (open) {
      for (Iterator<Map.Entry<Key, Count>> it = open.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Count> e = it.next();
        Key key = e.getKey();
        if (key.minute().isBefore(minute)) {
          it.remove();
          if (e.getValue().refusals > 1) {
            totals.add(entry(key.minute().plus(1, ChronoUnit.MINUTES), key, Optional.empty(), e.getValue().refusals
                + " refusals from " + key.address() + " in the minute " + key.minute()
                + " (the first recorded separately)"));
          }
        }
      }
    }
    if (!totals.isEmpty()) {
      auditLog.appendAll(totals);
    }
  }

  private static AuditEntry entry(Instant at, Key key, Optional<String> subject, String detail) {
    return new AuditEntry(at, subject.orElse("-"), action(key.errorCode()), "-", SCOPE_PREFIX + key.address(),
        AuditEntry.DENY, key.errorCode() + ": " + detail);
  }

  /** @return {@code auth.authenticate} for authentication failures, {@code rate_limit} for 429s */
  static String action(String errorCode) {
    if (errorCode.startsWith("auth.")) {
      return "auth.authenticate";
    }
    return errorCode.equals("rate_limited") ? "rate_limit" : "request.refused";
  }

  private record Key(String address, String errorCode, Instant minute) {}

  /** Refusals counted for one key; guarded by the map's lock. */
  private static final class Count {
    long refusals;
  }
}
