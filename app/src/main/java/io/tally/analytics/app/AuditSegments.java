package io.tally.analytics.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.analytics.adapter.postgres.PostgresAuditLog;
import io.tally.analytics.core.audit.AuditChain;
import io.tally.analytics.core.audit.AuditHead;
import io.tally.analytics.core.audit.AuditRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Archived audit segments: files {@code DATA_DIR/audit-archive/audit-<first>-<last>.jsonl}, one JSON object per record
 * (every field the hash covers), written and synced before their records leave the database. {@link #verify} checks
 * each segment against its checkpoint: the file's SHA-256, that its records chain from the previous checkpoint
 * (genesis for the first), and that its last record is the checkpoint.
 */
final class AuditSegments implements PostgresAuditLog.SegmentWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What {@link #verify} found. */
  record Verification(int verified, List<String> missing, List<String> broken) {
    boolean ok() {
      return broken.isEmpty();
    }
  }

  private final Path dir;

  AuditSegments(Path dir) {
    this.dir = dir;
  }

  @Override
  public PostgresAuditLog.Segment write(List<AuditRecord> records) throws IOException {
    Files.createDirectories(dir);
    String name = "audit-" + records.get(0).sequence() + "-" + records.get(records.size() - 1).sequence() + ".jsonl";
    StringBuilder text = new StringBuilder();
    for (AuditRecord r : records) {
      ObjectNode o = JSON.createObjectNode().put("sequence", r.sequence()).put("at", r.at().toString())
          .put("actor", r.actorSubject()).put("action", r.action()).put("permission", r.permission())
          .put("scope", r.scope()).put("decision", r.decision()).put("reason", r.reason())
          .put("prev_hash", r.previousHash()).put("hash", r.hash());
      text.append(JSON.writeValueAsString(o)).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Path tmp = dir.resolve(name + ".tmp");
    Files.write(tmp, bytes);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new PostgresAuditLog.Segment(name, sha256(bytes));
  }

  /** @param checkpoints every checkpoint, oldest first */
  Verification verify(List<PostgresAuditLog.Checkpoint> checkpoints) {
    int verified = 0;
    List<String> missing = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    AuditHead previous = AuditHead.genesis();
    for (PostgresAuditLog.Checkpoint c : checkpoints) {
      Path file = dir.resolve(c.segment().name());
      if (!Files.isRegularFile(file)) {
        missing.add(c.segment().name());
      } else {
        Optional<String> problem = problem(file, c, previous);
        if (problem.isPresent()) {
          broken.add(problem.get());
        } else {
          verified++;
        }
      }
      previous = c.end();
    }
    return new Verification(verified, missing, broken);
  }

  private static Optional<String> problem(Path file, PostgresAuditLog.Checkpoint c, AuditHead previous) {
    String name = c.segment().name();
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (!sha256(bytes).equals(c.segment().sha256())) {
        return Optional.of(name + ": SHA-256 differs from the one recorded with checkpoint " + c.end().sequence());
      }
      AuditChain.Verifier verifier = AuditChain.verifierFrom(previous);
      long first = -1;
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        AuditRecord r = record(JSON.readTree(line));
        first = first < 0 ? r.sequence() : first;
        if (!verifier.accept(r)) {
          return Optional.of(name + ": chain broken at record " + r.sequence());
        }
      }
      if (first != c.firstSequence() || !verifier.head().equals(c.end())) {
        return Optional.of(name + ": does not end at checkpoint " + c.end().sequence());
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(name + ": unreadable (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static AuditRecord record(JsonNode o) {
    return new AuditRecord(o.get("sequence").asLong(), Instant.parse(o.get("at").asText()), o.get("actor").asText(),
        o.get("action").asText(), o.get("permission").asText(), o.get("scope").asText(), o.get("decision").asText(),
        o.get("reason").asText(), o.get("prev_hash").asText(), o.get("hash").asText());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
