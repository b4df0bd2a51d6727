package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/** Strategy A: COPY (text format, streamed) into the staging table. */
final class CopyStagingLoader implements StagingLoader {

  private static final String COPY = "COPY pg_temp.usage_stage (" + STAGE_COLUMNS + ") FROM STDIN";
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public String name() {
    return "copy-staging";
  }

  @Override
  public void load(Handle handle, List<UsageEventRow> rows) {
    try {
      PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
      try (PGCopyOutputStream out = new PGCopyOutputStream(pg, COPY, BUFFER_BYTES)) {
        CopyTextWriter w = new CopyTextWriter(out, BUFFER_BYTES);
        for (int i = 0; i < rows.size(); i++) {
          write(w, i, rows.get(i));
        }
        w.flush();
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("usage_stage COPY failed", e);
    } catch (IOException e) {
      // PGCopyOutputStream reports server-side COPY errors as IOExceptions wrapping the SQLException.
      throw new PostgresAdapterException("usage_stage COPY failed", e);
    }
  }

  private static void write(CopyTextWriter w, int ord, UsageEventRow r) throws IOException {
    w.number(ord)
        .uuid(r.orgId())
        .text(r.eventId())
        .timestamp(r.occurredAt())
        .text(r.modelId())
        .text(r.actorId())
        .text(r.apiKeyId())
        .number(r.inputTokens())
        .number(r.outputTokens())
        .number(r.costMicros())
        .number(r.latencyMs())
        .text(r.status())
        .text(r.errorCode())
        .text(r.region())
        .text(r.fingerprint());
    w.endRow();
  }

}
