package io.tally.analytics.core.export;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an organisation's export jobs, newest first.
 *
 * @param jobs jobs on this page
 * @param nextCursor opaque cursor for the next page; empty on the last page
 */
public record ExportJobPage(List<ExportJob> jobs, Optional<String> nextCursor) {
  /** Copies. */
  public ExportJobPage {
    jobs = List.copyOf(jobs);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
