package io.tally.analytics.ports.service;

import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.out.AuditLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link AuditLog} that group-commits concurrent appends (DESIGN §1.3): callers that arrive while an append is
 * in flight queue up, and the next of them to lead hands the whole queue to the underlying log as one
 * {@link AuditLog#appendAll} (one chain-head lock, one commit, the chain linked in queue order inside it). Each caller
 * still returns only once the group holding its entries has committed, with exactly its own records; when that
 * group's append fails, every caller in it gets the failure, so no decision is answered as audited when its record
 * is lost.
 *
 * <p>Leader/follower, no thread of its own: the first queued caller, when fewer than {@code maxInFlight} groups are
 * committing, takes the queue as a group and commits it; a finished group wakes its own callers and the next
 * leader, no one else. A group holds at most
 * {@code maxGroupEntries} entries (a single call larger than that is committed alone), which bounds one transaction.
 * With {@code maxInFlight} 1 groups commit one after the other; with 2 the next group forms and is handed to the
 * underlying log while the previous one commits (pipelined: a store whose commit waits mostly for its flush, with
 * the chain order kept by the store itself, overlaps the two). Under no contention an append is the underlying
 * append, with no added wait. Store-agnostic: it works over any {@link AuditLog} whose {@code appendAll} is atomic
 * and safe to call concurrently.
 */
public final class GroupCommittingAuditLog implements AuditLog {

  private final AuditLog delegate;
  private final int maxGroupEntries;
  private final int maxInFlight;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * One group at a time.
   *
   * @param delegate the log the groups are appended to
   * @param maxGroupEntries most entries in one group, at least 1
   */
  public GroupCommittingAuditLog(AuditLog delegate, int maxGroupEntries) {
    this(delegate, maxGroupEntries, 1);
  }

  /**
   * @param delegate the log the groups are appended to
   * @param maxGroupEntries most entries in one group, at least 1
   * @param maxInFlight most groups handed to {@code delegate} at once, at least 1
   */
  public GroupCommittingAuditLog(AuditLog delegate, int maxGroupEntries, int maxInFlight) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxGroupEntries < 1) {
      throw new IllegalArgumentException("maxGroupEntries must be at least 1");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.maxGroupEntries = maxGroupEntries;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public List<AuditRecord> appendAll(List<AuditEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("at least one entry");
    }
    Waiter me = new Waiter(List.copyOf(entries), lock.newCondition());
    lock.lock();
    try {
      queue.add(me);
      while (true) {
        // Woken only when its group is done or it may lead (first in the queue with a group slot free): a commit
        // wakes its own group and the next leader, not every waiting caller.
        while (!me.done && !(inFlight < maxInFlight && queue.peek() == me)) {
          // The record may already be in a committing group: the caller must learn its fate, so an interrupt does
          // not end the wait (its status stays set for the caller).
          me.wake.awaitUninterruptibly();
        }
        if (me.done) {
          return me.outcome();
        }
        inFlight++;
        List<Waiter> group = nextGroup();
        wakeNextLeader();
        lock.unlock();
        try {
          commit(group);
        } finally {
          lock.lock();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the first queued caller when it may lead. Holds {@link #lock}. */
  private void wakeNextLeader() {
    Waiter next = queue.peek();
    if (next != null && inFlight < maxInFlight) {
      next.wake.signal();
    }
  }

  /** @return groups being committed now */
  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  /** @return callers queued and not yet in a committing group (tests wait on it instead of sleeping) */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Takes waiters from the head of the queue up to the entry bound (at least one). Holds {@link #lock}. */
  private List<Waiter> nextGroup() {
    List<Waiter> group = new ArrayList<>();
    int size = 0;
    while (!queue.isEmpty() && (group.isEmpty() || size + queue.peek().entries.size() <= maxGroupEntries)) {
      Waiter w = queue.poll();
      group.add(w);
      size += w.entries.size();
    }
    return group;
  }

  /** Appends the group to the store without holding {@link #lock}, then hands each caller its outcome. */
  private void commit(List<Waiter> group) {
    List<AuditEntry> all = new ArrayList<>();
    group.forEach(w -> all.addAll(w.entries));
    List<AuditRecord> stored = null;
    RuntimeException failure = null;
    try {
      stored = delegate.appendAll(all);
      if (stored.size() != all.size()) {
        failure = new IllegalStateException("audit log stored " + stored.size() + " records for " + all.size()
            + " entries");
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      failure = new IllegalStateException("audit append failed", e);
    }
    lock.lock();
    try {
      int from = 0;
      for (Waiter w : group) {
        if (failure == null) {
          w.records = List.copyOf(stored.subList(from, from + w.entries.size()));
        } else {
          w.failure = failure;
        }
        from += w.entries.size();
        w.done = true;
        w.wake.signal();
      }
      inFlight--;
      wakeNextLeader();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public AuditHead head() {
    return delegate.head();
  }

  @Override
  public List<AuditRecord> range(long fromSequence, int limit) {
    return delegate.range(fromSequence, limit);
  }

  @Override
  public AuditHead checkpoint() {
    return delegate.checkpoint();
  }

  @Override
  public Optional<Long> verify() {
    return delegate.verify();
  }

  @Override
  public Optional<Long> verifyAgainst(AuditHead exported) {
    return delegate.verifyAgainst(exported);
  }

  /** One caller's entries and, once its group is done, its records or the group's failure. */
  private static final class Waiter {
    final List<AuditEntry> entries;
    /** Signalled when the caller's group is done or the caller may lead; awaited under {@link #lock}. */
    final Condition wake;
    List<AuditRecord> records;
    RuntimeException failure;
    boolean done;

    Waiter(List<AuditEntry> entries, Condition wake) {
      this.entries = entries;
      this.wake = wake;
    }

    List<AuditRecord> outcome() {
      if (failure != null) {
        throw failure;
      }
      return records;
    }
  }
}
