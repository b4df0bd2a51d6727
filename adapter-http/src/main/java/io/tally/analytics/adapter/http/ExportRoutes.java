package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.tally.analytics.adapter.http.ExportJson.CreateRequest;
import io.tally.analytics.adapter.http.ExportJson.JobList;
import io.tally.analytics.adapter.http.ExportJson.JobView;
import io.tally.analytics.core.export.ExportJob;
import io.tally.analytics.core.export.ExportUnavailableException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.Exports.CreateExport;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.in.DownloadExportFile.FileDownload;
import io.tally.analytics.ports.in.Exports.DownloadLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The export job routes ({@code /analytics/v1/orgs/{orgId}/exports…}): create (202 with the job and a
 * {@code Location}), list (newest first, {@code limit} + {@code cursor}), read, cancel ({@code DELETE}; 409
 * {@code export.not_cancellable} once finished), and download (302 to a signed URL; 404 {@code export.not_found},
 * 409 {@code export.not_ready}, 410 {@code export.expired}). Plus the embedded store's file route
 * ({@link #FILE}), where the signed link itself is the credential: 403 {@code export.link_invalid}, 410
 * {@code export.link_expired}, else the file, streamed, as an attachment.
 */
public final class ExportRoutes {
  /** Collection path. */
  public static final String EXPORTS = "/analytics/v1/orgs/{orgId}/exports";
  /** One job. */
  public static final String JOB = EXPORTS + "/{jobId}";
  /** Download redirect. */
  public static final String DOWNLOAD = JOB + "/download";
  /** Where the embedded object store's signed links point: this prefix plus the object key. */
  public static final String FILES = "/analytics/v1/files/";
  /** One export file of the embedded store; the path is the object key {@code exports/<org>/<job>/<n>/<file>}. */
  public static final String FILE = FILES + "exports/{orgId}/{jobId}/{attempt}/{fileName}";
  /** Page size when the caller gives none. */
  public static final int DEFAULT_PAGE = 20;
  /** Largest page ({@link Exports#list} accepts 1..100). */
  public static final int MAX_PAGE = 100;

  private final Exports exports;
  private final DownloadExportFile files;
  private final JsonBodies bodies;

  /**
   * @param exports the export use cases
   * @param files serves the embedded store's signed links
   * @param bodies strict, size-limited body reader
   */
  public ExportRoutes(Exports exports, DownloadExportFile files, JsonBodies bodies) {
    this.exports = Objects.requireNonNull(exports, "exports");
    this.files = Objects.requireNonNull(files, "files");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
  }

  /** @return the export routes */
  public List<Route> routes() {
    return new RouteTable()
        .actor(POST, EXPORTS, this::create)
        .actor(GET, EXPORTS, this::list)
        .actor(GET, JOB, this::get)
        .actor(DELETE, JOB, this::cancel)
        .actor(GET, DOWNLOAD, this::download)
        .open(GET, FILE, this::file)
        .routes();
  }

  private void create(Context ctx, Actor actor) {
    String orgId = PathIds.uuid(ctx, "orgId").toString();
    CreateRequest body = bodies.read(ctx, CreateRequest.class);
    ExportJob job = exports.create(actor, new CreateExport(orgId, body.toSpec()));
    ctx.header("Location", ctx.path() + "/" + job.jobId());
    ctx.status(202).json(JobView.from(job));
  }

  private void list(Context ctx, Actor actor) {
    String orgId = PathIds.uuid(ctx, "orgId").toString();
    int limit = PageSize.parse(ctx.queryParam("limit"), DEFAULT_PAGE, MAX_PAGE);
    ctx.json(JobList.from(exports.list(actor, orgId, QueryText.optional(ctx, "cursor"), limit)));
  }

  private void get(Context ctx, Actor actor) {
    String orgId = PathIds.uuid(ctx, "orgId").toString();
    String jobId = PathIds.plain(ctx, "jobId");
    ExportJob job = exports.get(actor, orgId, jobId).orElseThrow(() -> ExportUnavailableException.notFound(
        "No export " + jobId + " in this organisation."));
    ctx.json(JobView.from(job));
  }

  private void cancel(Context ctx, Actor actor) {
    String orgId = PathIds.uuid(ctx, "orgId").toString();
    ctx.json(JobView.from(exports.cancel(actor, orgId, PathIds.plain(ctx, "jobId"))));
  }

  private void file(Context ctx) {
    String key = "exports/" + ctx.pathParam("orgId") + "/" + ctx.pathParam("jobId") + "/" + ctx.pathParam("attempt")
        + "/" + ctx.pathParam("fileName");
    FileDownload file = files.open(key, ctx.queryParam("expires"), ctx.queryParam("signature"));
    // The link is a bearer credential: no shared cache may keep the file.
    ctx.header("Cache-Control", "private, no-store");
    ctx.header("Content-Disposition", "attachment; filename=\"" + file.fileName() + "\"");
    ctx.contentType(file.contentType());
    // Copied here rather than handed to ctx.result: the file (or S3 stream) is closed when the copy ends, whatever
    // happens to the client.
    try (InputStream in = file.body()) {
      in.transferTo(ctx.outputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("download of " + key + " interrupted", e);
    }
  }

  private void download(Context ctx, Actor actor) {
    String orgId = PathIds.uuid(ctx, "orgId").toString();
    DownloadLink link = exports.download(actor, orgId, PathIds.plain(ctx, "jobId"));
    // The URL is a bearer credential until it expires: keep it out of shared caches.
    ctx.header("Cache-Control", "no-store");
    ctx.header("Location", link.url());
    ctx.status(302);
  }
}
