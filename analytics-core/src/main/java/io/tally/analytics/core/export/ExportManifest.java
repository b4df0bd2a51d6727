package io.tally.analytics.core.export;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a finished export file contains and how to check it: stored next to the file as
 * {@code <objectKey>.manifest.json} and shown in the job. Finance keeps it to prove which data an invoice came
 * from: the query, the freshness watermark the data was read at, and a checksum of the exact bytes.
 *
 * @param jobId the export job
 * @param objectKey key of the CSV file in the object store
 * @param fileName the name users see (download {@code Content-Disposition})
 * @param contentType MIME type of the file
 * @param compression {@code none} or {@code gzip}; {@link #bytes} and {@link #sha256} are of the stored bytes
 * @param rows data rows (the header row not counted)
 * @param bytes size of the stored file
 * @param sha256 lower-case hex SHA-256 of the stored file ({@code sha256sum} prints the same)
 * @param columns header names, in file order
 * @param query what was exported
 * @param asOf the freshness watermark the data was read at: every event rolled up by then is in a usage export;
 *     for a raw export, the instant the read began; empty when the organisation has never been rolled up
 * @param generatedAt when the file was completed
 * @param tallyVersion version of the Tally that wrote the file
 */
public record ExportManifest(String jobId, String objectKey, String fileName, String contentType,
    ExportCompression compression, long rows, long bytes, String sha256, List<String> columns, Query query,
    Optional<Instant> asOf, Instant generatedAt, String tallyVersion) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * The exported query.
   *
   * @param orgId organisation
   * @param kind usage or raw
   * @param start inclusive
   * @param end exclusive
   * @param granularity bucket width of a usage export (recorded for raw ones too)
   */
  public record Query(String orgId, ExportKind kind, Instant start, Instant end, ExportGranularity granularity) {
    /** Rejects nulls. */
    public Query {
      Objects.requireNonNull(orgId, "orgId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(granularity, "granularity");
    }

    /** @return the query of a job's spec */
    public static Query of(String orgId, ExportSpec spec) {
      return new Query(orgId, spec.kind(), spec.start(), spec.end(), spec.granularity());
    }
  }

  /** Validates. */
  public ExportManifest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(generatedAt, "generatedAt");
    Objects.requireNonNull(tallyVersion, "tallyVersion");
    columns = List.copyOf(columns);
    if (rows < 0 || bytes < 0) {
      throw new IllegalArgumentException("rows and bytes must be >= 0");
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
    }
  }

  /** @return the key the manifest itself is stored under: the file's key plus {@code .manifest.json} */
  public String manifestKey() {
    return objectKey + ".manifest.json";
  }

  /** @return the manifest as one JSON object (the content of {@link #manifestKey()}) */
  public String toJson() {
    JsonText json = new JsonText().beginObject()
        .field("manifestVersion").number(1)
        .field("jobId").string(jobId)
        .field("objectKey").string(objectKey)
        .field("fileName").string(fileName)
        .field("contentType").string(contentType)
        .field("compression").string(compression.wireName())
        .field("rows").number(rows)
        .field("bytes").number(bytes)
        .field("sha256").string(sha256)
        .field("columns").beginArray();
    columns.forEach(json::string);
    json.endArray()
        .field("query").beginObject()
        .field("orgId").string(query.orgId())
        .field("kind").string(query.kind() == ExportKind.RAW_EVENTS ? "raw" : "usage")
        .field("start").string(query.start().toString())
        .field("end").string(query.end().toString())
        .field("granularity").string(query.granularity().wireName())
        .endObject()
        .field("asOf");
    asOf.ifPresentOrElse(a -> json.string(a.toString()), json::nullValue);
    return json.field("generatedAt").string(generatedAt.toString())
        .field("tallyVersion").string(tallyVersion)
        .endObject().toString();
  }
}
