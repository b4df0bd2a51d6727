package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportJobPage;
import io.tally.analytics.core.export.ExportStatus;
import io.tally.analytics.ports.out.ExportJobStore;
import io.tally.analytics.ports.service.ExportsService;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link ExportJobStore} in a map; {@code claimNext} is atomic because every method locks the instance. */
public final class InMemoryExportJobStore implements ExportJobStore {
  private static final Comparator<ExportJob> OLDEST_FIRST =
      Comparator.comparing(ExportJob::createdAt).thenComparing(ExportJob::jobId);

  private final Map<String, ExportJob> jobs = new LinkedHashMap<>();

  @Override
  public synchronized void create(ExportJob job) {
    if (jobs.putIfAbsent(job.jobId(), job) != null) {
      throw new IllegalStateException("duplicate job id " + job.jobId());
    }
  }

  @Override
  public synchronized Optional<ExportJob> get(String orgId, String jobId) {
    return Optional.ofNullable(jobs.get(jobId)).filter(j -> j.orgId().equals(orgId));
  }

  @Override
  public synchronized ExportJobPage list(String orgId, Optional<String> cursor, int limit) {
    Optional<Position> after = cursor.map(Position::decode);
    List<ExportJob> newestFirst = jobs.values().stream().filter(j -> j.orgId().equals(orgId))
        .sorted(OLDEST_FIRST.reversed())
        .filter(j -> after.map(a -> a.isAfter(j)).orElse(true))
        .limit(limit + 1L).toList();
    boolean more = newestFirst.size() > limit;
    List<ExportJob> page = more ? newestFirst.subList(0, limit) : newestFirst;
    return new ExportJobPage(page, more ? Optional.of(Position.of(page.get(page.size() - 1)).encode()) : Optional.empty());
  }

  @Override
  public synchronized Optional<ExportJob> claimNext(Instant now, String owner, Instant leaseUntil) {
    // Lapsed leases first, as the PostgreSQL store does: a dead worker's job is older work.
    Optional<ExportJob> next = jobs.values().stream()
        .filter(j -> j.status() == ExportStatus.RUNNING && j.isClaimable(now)).min(OLDEST_FIRST)
        .or(() -> jobs.values().stream().filter(j -> j.status() == ExportStatus.PENDING && j.isClaimable(now))
            .min(OLDEST_FIRST))
        .map(j -> j.claim(now, owner, leaseUntil));
    next.ifPresent(j -> jobs.put(j.jobId(), j));
    return next;
  }

  @Override
  public synchronized boolean updateIfHeldBy(String owner, ExportJob next) {
    ExportJob stored = jobs.get(next.jobId());
    boolean held = stored != null && stored.status() == ExportStatus.RUNNING
        && stored.lease().orElseThrow().owner().equals(owner);
    if (held) {
      jobs.put(next.jobId(), next);
    }
    return held;
  }

  @Override
  public synchronized Optional<ExportJob> updateAtomically(String orgId, String jobId,
      UnaryOperator<ExportJob> change) {
    Optional<ExportJob> changed = get(orgId, jobId).map(change);
    changed.ifPresent(j -> jobs.put(j.jobId(), j));
    return changed;
  }

  /** Keyset position of the last job on a page (newest-first order). */
  private record Position(Instant createdAt, String jobId) {
    static Position of(ExportJob j) {
      return new Position(j.createdAt(), j.jobId());
    }

    // A client can send any text as a cursor: refuse it as the PostgreSQL store does (422), never as a 500.
    static Position decode(String cursor) {
      try {
        String[] parts = cursor.split("\\|", 2);
        return new Position(Instant.parse(parts[0]), parts[1]);
      } catch (RuntimeException e) {
        throw new TallyException(TallyException.Kind.INVALID, ExportsService.INVALID_PAGE,
            "cursor is not a nextCursor value.", e);
      }
    }

    String encode() {
      return createdAt + "|" + jobId;
    }

    /** @return true when {@code j} comes after this position in newest-first order */
    boolean isAfter(ExportJob j) {
      int c = j.createdAt().compareTo(createdAt);
      return c < 0 || (c == 0 && j.jobId().compareTo(jobId) < 0);
    }
  }
}
