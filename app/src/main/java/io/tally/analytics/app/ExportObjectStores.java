package io.tally.analytics.app;

import com.google.common.base.Suppliers;
import io.tally.analytics.adapter.localfs.LocalDirectoryObjectStore;
import io.tally.analytics.adapter.localfs.SigningKeyFile;
import io.tally.analytics.adapter.s3.S3ObjectStore;
import io.tally.analytics.adapter.s3.S3Settings;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import io.tally.analytics.ports.service.DownloadExportFileService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Chooses the export object store: S3 (or an S3-compatible store) when {@code S3_BUCKET} is set, else files under
 * {@code DATA_DIR/exports} served by this server behind HMAC-signed links.
 *
 * @param store where export files go
 * @param files what the file-link route serves: the local store's files, or, with S3, nothing (S3 serves its own
 *     presigned URLs)
 * @param links the local store's link prefix, to be told the server's URL once it listens
 */
record ExportObjectStores(ObjectStore store, DownloadExportFile files, ExportLinkBase links) implements AutoCloseable {

  static ExportObjectStores open(TallyConfig config, TimeSource time) {
    ExportLinkBase links = new ExportLinkBase(config.exports().publicUrl());
    if (config.services().s3().isPresent()) {
      TallyConfig.S3 s3 = config.services().s3().get();
      S3Settings settings = new S3Settings(s3.endpoint().map(URI::create), s3.region(), s3.bucket(),
          s3.accessKeyId().map(Secret::value), s3.secretAccessKey().map(Secret::value), s3.forcePathStyle(),
          S3Settings.DEFAULT_PART_SIZE);
      DownloadExportFile none = (key, expires, signature) -> {
        throw new TallyException(TallyException.Kind.FORBIDDEN, DownloadExportFile.LINK_INVALID,
            "This server keeps exports in S3; use the link GET …/exports/{jobId}/download redirects to.");
      };
      return new ExportObjectStores(new S3ObjectStore(settings), none, links);
    }
    // The key (and with it the key file) is made on first use, which only a serving process reaches.
    Supplier<Local> local = Suppliers.memoize(() -> {
      byte[] key = config.exports().signingKey().map(k -> k.value().getBytes(StandardCharsets.UTF_8))
          .orElseGet(() -> SigningKeyFile.loadOrCreate(config.dataDir()));
      DownloadLinkSigner signer = new DownloadLinkSigner(key);
      LocalDirectoryObjectStore store = new LocalDirectoryObjectStore(config.dataDir().resolve("exports"), signer,
          links, time);
      return new Local(store, new DownloadExportFileService(signer, store, time));
    });
    DownloadExportFile files = (key, expires, signature) -> local.get().files().open(key, expires, signature);
    return new ExportObjectStores(new DeferredObjectStore(() -> local.get().store()), files, links);
  }

  private record Local(ObjectStore store, DownloadExportFile files) {}

  @Override
  public void close() {
    if (store instanceof S3ObjectStore s3) {
      s3.close();
    }
  }
}
