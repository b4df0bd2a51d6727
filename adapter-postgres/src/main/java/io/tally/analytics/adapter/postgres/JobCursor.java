package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.ports.out.ExportJobStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keyset position in an organisation's newest-first job list: the last (createdAt, jobId) shown. Opaque to
 * clients (URL-safe Base64); a value that does not decode is the caller's mistake, {@code export.invalid_page}.
 */
record JobCursor(Instant createdAt, String jobId) {

  static JobCursor after(ExportJob last) {
    return new JobCursor(last.createdAt(), last.jobId());
  }

  String encode() {
    String plain = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + jobId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static JobCursor decode(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 3);
      return new JobCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
    } catch (RuntimeException e) {
      throw new TallyException(TallyException.Kind.INVALID, ExportJobStore.INVALID_PAGE,
          "cursor is not a nextCursor value.", e);
    }
  }
}
