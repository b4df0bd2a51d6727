package io.tally.analytics.ports.service;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.audit.AuditEntry;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceChange;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.rbac.Permission;
import io.tally.analytics.core.rbac.ResourceScope;
import io.tally.analytics.ports.in.AccessGuard;
import io.tally.analytics.ports.in.ManagePrices;
import io.tally.analytics.ports.out.AuditLog;
import io.tally.analytics.ports.out.PriceBookStore;
import io.tally.analytics.ports.out.PriceChanges;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists, puts and deletes prices. The guard audits the decision to act; once the store has committed, one more
 * audit record per changed entry says what it was before and what it is after (action {@code prices.changed}).
 * When that append fails the change stands and the caller gets the failure: the store and the audit log are two
 * ports, so they cannot share a transaction, and the entry, its source and its time remain visible in the book.
 */
public final class ManagePricesService implements ManagePrices {
  private final AccessGuard accessGuard;
  private final PriceBookStore store;
  private final AuditLog auditLog;
  private final TimeSource time;

  /**
   * @param accessGuard authorizes {@code analytics:prices:admin} on the platform scope
   * @param store the stored price book
   * @param auditLog where the before/after records go
   * @param time clock for the entries' time, the in-effect rule and audit records
   */
  public ManagePricesService(AccessGuard accessGuard, PriceBookStore store, AuditLog auditLog, TimeSource time) {
    this.accessGuard = Objects.requireNonNull(accessGuard, "accessGuard");
    this.store = Objects.requireNonNull(store, "store");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public List<PriceEntry> list(Actor actor, Optional<String> modelId) {
    accessGuard.require(actor, Permission.PRICES_ADMIN, ResourceScope.platform(), "prices.list");
    return store.entries(modelId);
  }

  @Override
  public PriceChangeReport put(PutPrices command) {
    accessGuard.require(command.actor(), Permission.PRICES_ADMIN, ResourceScope.platform(),
        command.dryRun() ? "prices.put.dry_run" : "prices.put");
    Instant now = time.now();
    Map<PriceKey, PriceEntry> existing = new HashMap<>();
    store.entries(Optional.empty()).forEach(e -> existing.put(e.key(), e));
    List<PriceEntry> wanted = new ArrayList<>();
    List<PriceChange> wouldChange = new ArrayList<>();
    int unchanged = 0;
    for (ModelPrice price : command.prices()) {
      PriceEntry entry = new PriceEntry(price, command.source(), now);
      Optional<PriceEntry> before = Optional.ofNullable(existing.get(price.key()));
      if (before.isPresent() && before.get().price().chargesLike(price)) {
        unchanged++;
      } else {
        wanted.add(entry);
        wouldChange.add(new PriceChange(price.key(), before, Optional.of(entry)));
      }
    }
    wouldChange.sort((a, b) -> PriceKey.ORDER.compare(a.key(), b.key()));
    if (command.dryRun() || wanted.isEmpty()) {
      return new PriceChangeReport(wouldChange, unchanged, 0, command.dryRun());
    }
    PriceChanges applied = store.put(wanted);
    audit(command.actor(), applied.changes(), now);
    return new PriceChangeReport(applied.changes(), command.prices().size() - applied.changes().size(),
        applied.hoursMarked(), false);
  }

  @Override
  public PriceChangeReport delete(Actor actor, PriceKey key) {
    accessGuard.require(actor, Permission.PRICES_ADMIN, ResourceScope.platform(), "prices.delete");
    Instant now = time.now();
    PriceEntry entry = store.entries(Optional.of(key.modelId())).stream().filter(e -> e.key().equals(key))
        .findFirst().orElseThrow(() -> new TallyException(TallyException.Kind.NOT_FOUND, "price.not_found",
            "no price for model " + key.modelId()
            + key.orgId().map(o -> " of org " + o).orElse("") + " takes effect at " + key.effectiveFrom()));
    if (!entry.price().effectiveFrom().isAfter(now)) {
      throw new TallyException(TallyException.Kind.CONFLICT, "price.in_effect",
          "the price of " + key.modelId() + " from " + key.effectiveFrom()
          + " is already in effect and cannot be deleted; put a corrected price instead");
    }
    PriceChanges applied = store.delete(key);
    audit(actor, applied.changes(), now);
    return new PriceChangeReport(applied.changes(), 0, applied.hoursMarked(), false);
  }

  private void audit(Actor actor, List<PriceChange> changes, Instant now) {
    if (changes.isEmpty()) {
      return;
    }
    List<AuditEntry> entries = changes.stream().map(c -> new AuditEntry(now, actor.subject(), "prices.changed",
        Permission.PRICES_ADMIN.wireName(), scopeOf(c.key()).label(), AuditEntry.ALLOW,
        "model=" + c.key().modelId() + " effectiveFrom=" + c.key().effectiveFrom()
            + " before=" + describe(c.before()) + " after=" + describe(c.after()))).toList();
    auditLog.appendAll(entries);
  }

  private static ResourceScope scopeOf(PriceKey key) {
    return key.orgId().map(o -> ResourceScope.org(o.toString())).orElseGet(ResourceScope::platform);
  }

  /** @return the entry as the audit record shows it, {@code none} when absent */
  static String describe(Optional<PriceEntry> entry) {
    return entry.map(e -> "{inputMicrosPer1M=" + e.price().inputMicrosPerMillionTokens() + ", outputMicrosPer1M="
        + e.price().outputMicrosPerMillionTokens() + ", source=" + e.source() + ", recordedAt=" + e.recordedAt() + "}")
        .orElse("none");
  }
}
