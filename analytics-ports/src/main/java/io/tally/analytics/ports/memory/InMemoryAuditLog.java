package io.tally.analytics.ports.memory;

import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.out.AuditLog;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditLog} in a list; appends are serialized on the instance so the chain has no gaps. */
public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditRecord> records = new ArrayList<>();

  @Override
  public synchronized List<AuditRecord> appendAll(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one entry");
    }
    List<AuditRecord> linked = new ArrayList<>(entries.size());
    AuditHead head = head();
    for (AuditEntry entry : entries) {
      AuditRecord r = AuditChain.link(head, entry);
      linked.add(r);
      head = r.head();
    }
    records.addAll(linked);
    return List.copyOf(linked);
  }

  @Override
  public synchronized AuditHead head() {
    return records.isEmpty() ? AuditHead.genesis() : records.get(records.size() - 1).head();
  }

  @Override
  public synchronized List<AuditRecord> range(long fromSequence, int limit) {
    int from = (int) Math.max(0, Math.min(records.size(), fromSequence - 1));
    return List.copyOf(records.subList(from, Math.min(records.size(), from + limit)));
  }

  /** @return every record (tests inspect what was audited) */
  public synchronized List<AuditRecord> all() {
    return List.copyOf(records);
  }

  /** Replaces a stored record, to simulate tampering in tests. */
  public synchronized void tamper(int index, AuditRecord forged) {
    records.set(index, forged);
  }
}
