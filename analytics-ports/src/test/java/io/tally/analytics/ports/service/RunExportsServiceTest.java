package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.export.ExportCompression;
import io.tally.analytics.core.export.ExportCsv;
import io.tally.analytics.core.export.ExportFailureReason;
import io.tally.analytics.core.export.ExportGranularity;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportKind;
import io.tally.analytics.core.export.ExportManifest;
import io.tally.analytics.core.export.ExportRetryPolicy;
import io.tally.analytics.core.export.ExportSpec;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.in.RunExports.ExportRun;
import io.tally.analytics.ports.in.RunExports.Outcome;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryExportJobStore;
import io.tally.analytics.ports.memory.InMemoryObjectStore;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.ExportFiles;
import io.tally.analytics.ports.testdata.SequentialIds;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunExportsServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY1 = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant DAY3 = Instant.parse("2026-10-03T00:00:00Z");
  private static final String ORG = UsageEvents.ORG_A.toString();
  private static final Actor ANALYST = Actors.withRoles(ORG, "analyst");

  private final InMemoryUsageModule tally = new InMemoryUsageModule(NOW);
  private final InMemoryExportJobStore jobs = new InMemoryExportJobStore();
  private final InMemoryObjectStore objects = new InMemoryObjectStore(tally.clock);
  private final ExportSettings settings = ExportSettings.defaults().withRawMaxRows(50).withTallyVersion("9.9.9")
      .withRetry(new ExportRetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60)));
  private final ExportsService exports = new ExportsService(
      new AuditedAccessGuard(io.tally.analytics.core.rbac.AccessPolicy.standard(), new InMemoryAuditLog(),
          tally.clock), jobs, objects, new SequentialIds("job"), tally.clock, settings);
  private final List<UsageEvent> events = new ArrayList<>();

  private RunExportsService runner(ObjectStore store) {
    return new RunExportsService(jobs, tally.rollups, tally.events, tally.freshness, store, tally.clock, settings);
  }

  @BeforeEach
  void ingestAndRollUp() {
    for (int i = 0; i < 30; i++) {
      events.add(UsageEvents.anEvent().withId("e" + i).at(DAY1.plus(Duration.ofMinutes(97L * i)))
          .withModel(i % 3 == 0 ? "mistral-7b" : "llama-3-70b").withTokens(10 + i, 5 + i).withCost(1_000_003L * i)
          .withLatency(100).build());
    }
    events.add(UsageEvents.anEvent().withId("=cmd|' /C calc'!A0").at(DAY1.plusSeconds(7)).withModel("@evil")
        .withCost(0).failed("upstream,timeout").build());
    tally.ingest.ingest(new IngestCommand(Actors.system(), "seed", IngestSource.direct(),
        events.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
    assertThat(tally.rollup.run(new RunRollupCommand(Actors.system(), 100, 100)).dirtyRemaining()).isZero();
  }

  private ExportJob create(ExportKind kind, ExportGranularity g, ExportCompression c) {
    return exports.create(ANALYST, new io.tally.analytics.ports.in.Exports.CreateExport(ORG,
        new ExportSpec(kind, DAY1, DAY3, g, c)));
  }

  private byte[] read(String key) {
    try (InputStream in = objects.open(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void nothingPendingMeansNoRun() {
    assertThat(runner(objects).runNext("w1")).isEmpty();
  }

  @Test
  void aUsageExportMatchesTheUsageApiCellByCellAndToTheMicroUnit() {
    ExportJob job = create(ExportKind.USAGE_ROLLUP, ExportGranularity.HOURLY, ExportCompression.NONE);
    ExportRun run = runner(objects).runNext("w1").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    ExportJob done = jobs.get(ORG, job.jobId()).orElseThrow();
    assertThat(done.status()).isEqualTo(ExportStatus.SUCCEEDED);
    ExportManifest m = done.result().orElseThrow().manifest();

    byte[] file = read(m.objectKey());
    List<List<String>> rows = ExportFiles.parse(file, ExportCompression.NONE);
    assertThat(rows.get(0)).isEqualTo(ExportCsv.USAGE_COLUMNS);
    UsageReport api = tally.usage.query(new UsageQuery(Actors.adminOf(UsageEvents.ORG_A), UsageEvents.ORG_A,
        Granularity.HOURLY, new TimeWindow(DAY1, DAY3), Optional.empty(), GroupBy.MODEL));
    assertThat(rows).hasSize(api.series().size() + 1);
    UsageTotals sum = UsageTotals.ZERO;
    for (int i = 0; i < api.series().size(); i++) {
      var p = api.series().get(i);
      List<String> r = rows.get(i + 1);
      String model = p.modelId().orElseThrow();
      assertThat(r).containsExactly(p.bucketStart().toString(), model.startsWith("@") ? "'" + model : model,
          Long.toString(p.totals().requests()), Long.toString(p.totals().errors()),
          Long.toString(p.totals().inputTokens()), Long.toString(p.totals().outputTokens()),
          Long.toString(p.totals().costMicros()), ExportCsv.usd(p.totals().costMicros()),
          Long.toString(p.totals().unpricedRequests()));
      sum = sum.plus(new UsageTotals(Long.parseLong(r.get(2)), Long.parseLong(r.get(3)), Long.parseLong(r.get(4)),
          Long.parseLong(r.get(5)), Long.parseLong(r.get(6)), Long.parseLong(r.get(8))));
    }
    assertThat(sum).isEqualTo(api.totals());
    assertThat(sum.requests()).isEqualTo(events.size());

    assertThat(m.rows()).isEqualTo(api.series().size());
    assertThat(m.bytes()).isEqualTo(file.length);
    assertThat(m.sha256()).isEqualTo(ExportFiles.sha256(file));
    assertThat(m.tallyVersion()).isEqualTo("9.9.9");
    assertThat(m.asOf()).isEqualTo(tally.freshness.lastRollupAt(UsageEvents.ORG_A));
    assertThat(new String(read(m.manifestKey()), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(m.toJson());
    assertThat(objects.list(RunExportsService.jobPrefix(done))).containsExactly(m.objectKey(), m.manifestKey());
    assertThat(done.expiresAt()).contains(NOW.plus(settings.retention()));
  }

  @Test
  void aRawExportListsEveryEventInTimeOrderWithGuardedTextAndGzip() {
    create(ExportKind.RAW_EVENTS, ExportGranularity.DAILY, ExportCompression.GZIP);
    ExportRun run = runner(objects).runNext("w1").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    ExportManifest m = run.job().result().orElseThrow().manifest();
    assertThat(m.objectKey()).endsWith(".csv.gz");
    byte[] file = read(m.objectKey());
    assertThat(m.sha256()).isEqualTo(ExportFiles.sha256(file));
    assertThat(ExportFiles.text(file, ExportCompression.GZIP)).startsWith(String.join(",", ExportCsv.RAW_COLUMNS)
        + "\r\n");
    List<List<String>> rows = ExportFiles.parse(file, ExportCompression.GZIP);
    assertThat(rows).hasSize(events.size() + 1);
    List<String> evil = rows.get(2);
    assertThat(evil).containsExactly(DAY1.plusSeconds(7).toString(), "'=cmd|' /C calc'!A0", "'@evil", "error",
        "upstream,timeout", evil.get(5), evil.get(6), "0", "0.000000", evil.get(9), evil.get(10), "", evil.get(12));
    List<String> times = rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
    assertThat(times).isSorted();
    assertThat(rows.get(4).get(8)).isEqualTo(ExportCsv.usd(Long.parseLong(rows.get(4).get(7))));
  }

  @Test
  void aRawExportOverTheCapFailsWithTheCountAndStoresNothing() {
    for (int i = 0; i < 25; i++) {
      events.add(UsageEvents.anEvent().withId("more" + i).at(DAY1.plusSeconds(1000 + i)).build());
    }
    tally.ingest.ingest(new IngestCommand(Actors.system(), "more", IngestSource.direct(),
        events.subList(31, events.size()).stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
    ExportJob job = create(ExportKind.RAW_EVENTS, ExportGranularity.DAILY, ExportCompression.NONE);
    ExportRun run = runner(objects).runNext("w1").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(run.reason()).contains(ExportFailureReason.TOO_MANY_ROWS);
    ExportJob failed = jobs.get(ORG, job.jobId()).orElseThrow();
    assertThat(failed.status()).isEqualTo(ExportStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.failure().orElseThrow().message()).contains("56 raw events", "at most 50",
        "EXPORT_RAW_MAX_ROWS");
    assertThat(objects.list("exports/")).isEmpty();
  }

  @Test
  void anObjectStoreOutageIsRetriedWithBackoffThenFailsWithAStableReason() {
    ExportJob job = create(ExportKind.USAGE_ROLLUP, ExportGranularity.DAILY, ExportCompression.NONE);
    objects.setDown(true);
    ExportRun first = runner(objects).runNext("w1").orElseThrow();
    assertThat(first.outcome()).isEqualTo(Outcome.RETRY_SCHEDULED);
    assertThat(first.job().retryAt()).contains(NOW.plusSeconds(5));
    assertThat(runner(objects).runNext("w1")).as("backoff not over").isEmpty();
    tally.clock.advance(Duration.ofSeconds(5));
    assertThat(runner(objects).runNext("w1").orElseThrow().job().retryAt()).contains(NOW.plusSeconds(15));
    tally.clock.advance(Duration.ofSeconds(10));
    ExportRun last = runner(objects).runNext("w1").orElseThrow();
    assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(last.reason()).contains(ExportFailureReason.OBJECT_STORE_UNAVAILABLE);
    ExportJob failed = jobs.get(ORG, job.jobId()).orElseThrow();
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.failure().orElseThrow().reason().code()).isEqualTo("export.object_store_unavailable");
  }

  @Test
  void aRetryAfterAnOutageSucceeds() {
    create(ExportKind.USAGE_ROLLUP, ExportGranularity.DAILY, ExportCompression.NONE);
    objects.setDown(true);
    runner(objects).runNext("w1").orElseThrow();
    objects.setDown(false);
    tally.clock.advance(Duration.ofSeconds(5));
    ExportRun second = runner(objects).runNext("w1").orElseThrow();
    assertThat(second.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(second.job().attempts()).isEqualTo(2);
  }

  @Test
  void aJobCancelledWhileItRunsIsAbandonedAndItsFileRemoved() {
    ExportJob job = create(ExportKind.RAW_EVENTS, ExportGranularity.DAILY, ExportCompression.NONE);
    ObjectStore cancelsMidWrite = new ForwardingObjectStore(objects) {
      @Override
      public long put(String key, String contentType, Content content) {
        return super.put(key, contentType, out -> {
          out.write("partial".getBytes());
          exports.cancel(ANALYST, ORG, job.jobId());
          content.writeTo(out);
        });
      }
    };
    ExportRun run = runner(cancelsMidWrite).runNext("w1").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.ABANDONED);
    assertThat(jobs.get(ORG, job.jobId()).orElseThrow().status()).isEqualTo(ExportStatus.CANCELLED);
    assertThat(objects.list("exports/")).isEmpty();
  }

  @Test
  void aDeadWorkersJobIsTakenOverAndEndsWithExactlyOneFile() {
    ExportJob job = create(ExportKind.USAGE_ROLLUP, ExportGranularity.DAILY, ExportCompression.NONE);
    ExportJob held = jobs.claimNext(NOW, "dead-worker", NOW.plus(settings.lease())).orElseThrow();
    // What the dead attempt left: a complete but uncommitted file (it died between upload and commit).
    objects.put(RunExportsService.jobPrefix(held) + "1/" + job.spec().fileName(), "text/csv",
        out -> out.write("stale".getBytes()));
    assertThat(runner(objects).runNext("w2")).as("lease still alive").isEmpty();
    tally.clock.advance(settings.lease());
    ExportRun run = runner(objects).runNext("w2").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    ExportJob done = jobs.get(ORG, job.jobId()).orElseThrow();
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.failure().orElseThrow().reason()).isEqualTo(ExportFailureReason.WORKER_LOST);
    ExportManifest m = done.result().orElseThrow().manifest();
    assertThat(objects.list(RunExportsService.jobPrefix(done))).containsExactly(m.objectKey(), m.manifestKey());
    assertThat(m.objectKey()).contains("/2/");
  }

  @Test
  void heartbeatsRecordProgressWhileRowsAreWritten() {
    ExportSettings quick = settings.withRawMaxRows(100_000).withLease(Duration.ofSeconds(4));
    List<UsageEvent> many = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      many.add(UsageEvents.anEvent().withId("m" + i).at(DAY1.plusMillis(i)).build());
    }
    tally.ingest.ingest(new IngestCommand(Actors.system(), "many", IngestSource.direct(),
        many.stream().map(UsageEvents::from).map(UsageEvents::candidate).toList()));
    ExportJob job = create(ExportKind.RAW_EVENTS, ExportGranularity.DAILY, ExportCompression.NONE);
    List<Long> progress = new ArrayList<>();
    ObjectStore watching = new ForwardingObjectStore(objects) {
      @Override
      public long put(String key, String contentType, Content content) {
        return super.put(key, contentType, out -> content.writeTo(new java.io.FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            tally.clock.advance(Duration.ofMillis(300));
            progress.add(jobs.get(ORG, job.jobId()).orElseThrow().rowsWritten());
            out.write(b, off, len);
          }
        }));
      }
    };
    ExportRun run = new RunExportsService(jobs, tally.rollups, tally.events, tally.freshness, watching,
        tally.clock, quick).runNext("w1").orElseThrow();
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(progress).isSorted();
    assertThat(progress.stream().distinct().filter(p -> p > 0 && p < 5_031).count()).isGreaterThan(1);
  }

  /** Delegates everything; tests override what they intercept. */
  private static class ForwardingObjectStore implements ObjectStore {
    private final ObjectStore delegate;

    ForwardingObjectStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public long put(String key, String contentType, Content content) {
      return delegate.put(key, contentType, content);
    }

    @Override
    public boolean exists(String key) {
      return delegate.exists(key);
    }

    @Override
    public InputStream open(String key) {
      return delegate.open(key);
    }

    @Override
    public List<String> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public int discardIncomplete(String prefix) {
      return delegate.discardIncomplete(prefix);
    }

    @Override
    public String signedUrl(String key, Duration ttl) {
      return delegate.signedUrl(key, ttl);
    }

    @Override
    public void checkReady() {
      delegate.checkReady();
    }
  }
}
