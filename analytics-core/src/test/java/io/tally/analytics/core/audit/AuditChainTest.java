package io.tally.analytics.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  static AuditEntry entry(int i) {
    return new AuditEntry(Instant.parse("2025-11-01T00:00:00Z").plusSeconds(i), "alice", "usage.query",
        "analytics:usage:read", "org:org-a", i % 3 == 0 ? "deny" : "allow", "reason " + i);
  }

  static List<AuditRecord> chain(int n) {
    List<AuditRecord> records = new ArrayList<>();
    AuditHead head = AuditHead.genesis();
    for (int i = 1; i <= n; i++) {
      AuditRecord r = AuditChain.link(head, entry(i));
      records.add(r);
      head = r.head();
    }
    return records;
  }

  @Test
  void genesisLinksToSixtyFourZerosAndHashesAreHexSha256() {
    AuditRecord first = chain(1).get(0);
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previousHash()).isEqualTo("0".repeat(64));
    assertThat(first.hash()).matches("[0-9a-f]{64}");
  }

  @Test
  void intactChainVerifies() {
    assertThat(AuditChain.verify(chain(10))).isEmpty();
    assertThat(AuditChain.verify(List.of())).isEmpty();
  }

  @Test
  void editIsDetectedAtTheEditedRecord() {
    List<AuditRecord> records = chain(5);
    AuditRecord r = records.get(2);
    records.set(2, new AuditRecord(r.sequence(), r.at(), r.actorSubject(), r.action(), r.permission(), r.scope(),
        "allow", r.reason(), r.previousHash(), r.hash()));
    assertThat(AuditChain.verify(records)).contains(3L);
  }

  @Test
  void editWithRecomputedHashIsDetectedAtTheNextRecord() {
    List<AuditRecord> records = chain(5);
    AuditRecord r = records.get(1);
    AuditEntry forged = new AuditEntry(r.at(), r.actorSubject(), r.action(), r.permission(), r.scope(), "allow",
        "forged");
    records.set(1, AuditChain.link(new AuditHead(1, r.previousHash()), forged));
    assertThat(AuditChain.verify(records)).contains(3L);
  }

  @Test
  void tamperedDecisionValueIsABrokenLinkNotACrash() {
    List<AuditRecord> records = chain(3);
    AuditRecord r = records.get(0);
    records.set(0, new AuditRecord(1, r.at(), r.actorSubject(), r.action(), r.permission(), r.scope(), "maybe",
        r.reason(), r.previousHash(), r.hash()));
    assertThat(AuditChain.verify(records)).contains(1L);
  }

  @Test
  void deletionIsDetected() {
    List<AuditRecord> records = chain(5);
    records.remove(2);
    assertThat(AuditChain.verify(records)).contains(4L);
  }

  @Test
  void reorderingIsDetected() {
    List<AuditRecord> records = chain(5);
    Collections.swap(records, 1, 2);
    assertThat(AuditChain.verify(records)).contains(3L);
  }

  @Test
  void truncateAndRewriteIsCaughtByTheExportedHead() {
    List<AuditRecord> original = chain(6);
    AuditHead exported = original.get(5).head();
    assertThat(AuditChain.verifyAgainst(original, exported)).isEmpty();

    List<AuditRecord> truncated = new ArrayList<>(original.subList(0, 4));
    assertThat(AuditChain.verify(truncated)).isEmpty();
    assertThat(AuditChain.verifyAgainst(truncated, exported)).contains(6L);

    List<AuditRecord> rewritten = new ArrayList<>(truncated);
    AuditHead head = truncated.get(3).head();
    for (int i = 0; i < 2; i++) {
      AuditRecord r = AuditChain.link(head, new AuditEntry(Instant.EPOCH, "mallory", "x", "y", "org:o", "allow", "z"));
      rewritten.add(r);
      head = r.head();
    }
    assertThat(AuditChain.verify(rewritten)).isEmpty();
    assertThat(AuditChain.verifyAgainst(rewritten, exported)).contains(6L);
  }

  @Test
  void appendingAfterTheExportIsFine() {
    List<AuditRecord> records = chain(8);
    assertThat(AuditChain.verifyAgainst(records, records.get(4).head())).isEmpty();
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    AuditEntry a = new AuditEntry(Instant.EPOCH, "ab", "c", "p", "s", "allow", "r");
    AuditEntry b = new AuditEntry(Instant.EPOCH, "a", "bc", "p", "s", "allow", "r");
    assertThat(AuditChain.hashOf(1, a, AuditChain.GENESIS_HASH))
        .isNotEqualTo(AuditChain.hashOf(1, b, AuditChain.GENESIS_HASH));
  }
}
