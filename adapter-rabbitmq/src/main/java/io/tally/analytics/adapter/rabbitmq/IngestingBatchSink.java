package io.tally.analytics.adapter.rabbitmq;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.core.usage.StreamPosition;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each stream batch to the ingest use case as one {@link IngestCommand} whose source is the batch's
 * position and which names each candidate's message offset, so the use case's store commits the rows, the
 * dead letters and the offset together.
 *
 * <p><b>Messages that are not usage events.</b> A wrong or missing content type, a body that is not UTF-8 or
 * not one JSON object, or an object or array in a usage-event field cannot become a candidate, and the use case
 * has no way to dead-letter something it cannot parse. The sink therefore makes those dead letters itself (the
 * body text as payload, a {@code stream.*} code, the message's own offset in the source's position and in the
 * reason) and hands them over in the command; the use case dead-letters invalid events (bad org id, negative
 * tokens, …) the same way HTTP ingest does, each with its message's offset. A batch with no valid event still
 * goes to the use case (with no candidates) so its letters and position commit and the stream moves on.
 *
 * <p><b>Redelivery.</b> Every dead letter of a batch is written in the transaction that commits its position,
 * so a crash (even kill -9) before that commit leaves none of them, and the redelivered batch writes each one
 * once; a crash after it leaves nothing to redeliver. The batch id is a function of (stream, consumer, first
 * offset, last offset), so a redelivered batch carries the same id. Before ingesting, the sink drops messages
 * at or below the committed offset, so a batch whose commit succeeded but whose acknowledgement was lost is not
 * ingested again. Should a message still arrive twice, its dead letter is not doubled either: the store keeps
 * one letter per (stream, consumer, message offset).
 */
public final class IngestingBatchSink implements StreamBatchSink {
  private static final Logger LOG = LoggerFactory.getLogger(IngestingBatchSink.class);

  private final IngestUsageBatch ingest;
  private final OffsetSource committed;
  private final TimeSource clock;
  private final Actor actor;
  private final Optional<StreamLeaseToken> lease;
  private final UsageEventDecoder decoder = new UsageEventDecoder();
  private volatile IngestTotals totals = new IngestTotals(0, 0, 0, 0, 0, 0, 0);

  /**
   * @param ingest the ingest use case, which also stores the dead letters of messages that are not usage events
   * @param committed the committed offset, read before each batch to recognise a redelivered one
   * @param clock dead-letter timestamps
   * @param actor the system actor the stream ingests as (needs {@code analytics:events:write} on every org)
   */
  public IngestingBatchSink(IngestUsageBatch ingest, OffsetSource committed, TimeSource clock, Actor actor) {
    this(ingest, committed, clock, actor, Optional.empty());
  }

  /**
   * As above, for a consumer that runs while holding a stream lease: every batch carries {@code lease}, and the
   * store refuses it once the lease has changed hands ({@code StreamLeaseLostException}).
   *
   * @param lease the lease this sink's consumer was started under, empty outside any lease
   */
  public IngestingBatchSink(IngestUsageBatch ingest, OffsetSource committed, TimeSource clock, Actor actor,
      Optional<StreamLeaseToken> lease) {
    this.lease = Objects.requireNonNull(lease, "lease");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.committed = Objects.requireNonNull(committed, "committed");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.actor = Objects.requireNonNull(actor, "actor");
  }

  /**
   * @return the batch id for a run of offsets; the same run always gets the same id
   */
  public static String batchId(String stream, String consumer, long firstOffset, long lastOffset) {
    return "stream:" + stream + "/" + consumer + "/" + firstOffset + "-" + lastOffset;
  }

  @Override
  public void accept(StreamBatch batch) {
    prepare(batch).commit();
  }

  /**
   * Decodes and validates the whole batch now, as if none of it were committed. The commit reads the committed
   * offset first: in the usual case (nothing of the batch committed) it appends what was prepared; a batch
   * that is partly or wholly committed already (its commit succeeded but the acknowledgement was lost) is
   * ingested again from its fresh messages only, or skipped.
   */
  @Override
  public Checked prepare(StreamBatch batch) {
    return new Checked(batch, ingest.prepare(command(batch, batch.messages())));
  }

  /** A batch decoded and validated, not yet committed. */
  final class Checked implements Prepared {
    private final StreamBatch batch;
    private final IngestUsageBatch.Prepared whole;

    private Checked(StreamBatch batch, IngestUsageBatch.Prepared whole) {
      this.batch = batch;
      this.whole = whole;
    }

    @Override
    public void commit() {
      long done = committed.committedOffset(batch.stream(), batch.consumer()).orElse(-1);
      if (done < batch.firstOffset()) {
        add(whole.commit(), batch.size(), 0);
      } else {
        ingestFresh(batch, done);
      }
    }
  }

  private void ingestFresh(StreamBatch batch, long done) {
    List<StreamMessage> fresh = batch.messages().stream().filter(m -> m.offset() > done).toList();
    long skipped = batch.size() - fresh.size();
    if (fresh.isEmpty()) {
      LOG.info("Batch {}..{} of {} is already committed (offset {}); skipped", batch.firstOffset(),
          batch.lastOffset(), batch.stream(), done);
      add(new IngestTotals(0, 0, 0, 0, 0, 0, skipped));
      return;
    }
    add(ingest.ingest(command(batch, fresh)), fresh.size(), skipped);
  }

  /** The command for {@code fresh}, the batch's messages not yet committed (all of them, usually). */
  private IngestCommand command(StreamBatch batch, List<StreamMessage> fresh) {
    String id = batchId(batch.stream(), batch.consumer(), fresh.get(0).offset(), batch.lastOffset());
    StreamPosition end = new StreamPosition(batch.stream(), batch.consumer(), batch.lastOffset());
    IngestSource source = lease.map(l -> IngestSource.stream(end, l)).orElseGet(() -> IngestSource.stream(end));
    List<UsageEventCandidate> candidates = new ArrayList<>(fresh.size());
    List<Long> offsets = new ArrayList<>(fresh.size());
    List<DeadLetter> unreadable = new ArrayList<>();
    Instant now = clock.now();
    for (StreamMessage m : fresh) {
      UsageEventDecoder.Decoded decoded = decoder.decode(m);
      if (decoded instanceof UsageEventDecoder.Candidate c) {
        candidates.add(c.candidate());
        offsets.add(m.offset());
      } else if (decoded instanceof UsageEventDecoder.Unreadable u) {
        IngestSource message = IngestSource.stream(new StreamPosition(batch.stream(), batch.consumer(), m.offset()));
        unreadable.add(new DeadLetter(id, message, u.payload(), List.of(u.violation()), now));
      }
    }
    return new IngestCommand(actor, id, source, candidates, offsets, unreadable);
  }

  /** Adds one ingested command: its candidates' outcomes and the dead letters the sink made itself. */
  private void add(IngestReport report, int messages, long skipped) {
    int unreadable = messages - report.results().size();
    add(new IngestTotals(1, report.accepted(), report.duplicates(), report.conflicts(), report.rejected(),
        unreadable, skipped));
  }

  /** @return what this sink has done since it was created */
  public IngestTotals totals() {
    return totals;
  }

  private void add(IngestTotals delta) {
    // Only the consumer's worker thread calls accept; readers on other threads see whole snapshots.
    totals = totals.plus(delta);
  }
}
