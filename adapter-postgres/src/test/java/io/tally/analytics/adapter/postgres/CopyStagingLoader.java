package io.tally.analytics.adapter.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Strategy A: COPY (text format, streamed) into a session-local temporary table that is emptied at every
 * commit and reused by the next batch on the same connection.
 */
final class CopyStagingLoader implements StagingLoader {

  private static final String CREATE_STAGE =
      """
      CREATE TEMP TABLE IF NOT EXISTS usage_stage (
          ord           integer     NOT NULL,
          repeat        boolean     NOT NULL,
          org_id        uuid        NOT NULL,
          event_id      text        COLLATE "C" NOT NULL,
          occurred_at   timestamptz NOT NULL,
          model_id      text        NOT NULL,
          actor_id      text,
          api_key_id    text,
          input_tokens  bigint      NOT NULL,
          output_tokens bigint      NOT NULL,
          cost_micros   bigint,
          latency_ms    bigint      NOT NULL,
          status        text        NOT NULL,
          error_code    text,
          region        text,
          fingerprint   text        NOT NULL
      ) ON COMMIT DELETE ROWS
      """;

  private static final String COPY = "COPY pg_temp.usage_stage (" + STAGE_COLUMNS + ") FROM STDIN";

  // Inlined, not materialized: the temp table is already a materialization.
  private static final Input INPUT =
      new Input("input AS NOT MATERIALIZED (SELECT * FROM pg_temp.usage_stage)", List.of());
  private static final int BUFFER_BYTES = 64 * 1024;

  @Override
  public String name() {
    return "copy";
  }

  @Override
  public Input stage(Handle handle, List<UsageEventRow> rows, boolean[] repeat) {
    handle.execute(CREATE_STAGE);
    try {
      PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
      try (PGCopyOutputStream out = new PGCopyOutputStream(pg, COPY, BUFFER_BYTES)) {
        CopyTextWriter w = new CopyTextWriter(out, BUFFER_BYTES);
        for (int i = 0; i < rows.size(); i++) {
          write(w, i, repeat[i], rows.get(i));
        }
        w.flush();
      }
    } catch (SQLException e) {
      throw new PostgresAdapterException("usage_stage COPY failed", e);
    } catch (IOException e) {
      // PGCopyOutputStream reports server-side COPY errors as IOExceptions wrapping the SQLException.
      throw new PostgresAdapterException("usage_stage COPY failed", e);
    }
    return INPUT;
  }

  private static void write(CopyTextWriter w, int ord, boolean repeat, UsageEventRow r)
      throws IOException {
    w.number(ord)
        .bool(repeat)
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
