package io.tally.analytics.adapter.localfs;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded default's object store (no {@code S3_BUCKET}): files under {@code DATA_DIR/exports}. A put streams
 * into a temporary file next to the target ({@code .part-….tmp}), forces it to disk and renames it into place
 * atomically, so a reader (or a crash) never sees half a file; {@link #discardIncomplete} removes the temporary
 * files a killed writer left. Signed URLs point at the server's own download route and carry an expiry and an
 * HMAC-SHA256 over key and expiry ({@link DownloadLinkSigner}); the route checks them with the same signer.
 */
public final class LocalDirectoryObjectStore implements ObjectStore {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,511}");
  private static final String PART_PREFIX = ".part-";
  private static final int BUFFER = 64 * 1024;

  private final Path root;
  private final DownloadLinkSigner signer;
  private final Supplier<String> downloadBase;
  private final TimeSource time;

  /**
   * @param root directory holding the objects (created when missing)
   * @param signer signs download links; the server's download route must use the same one
   * @param downloadBase absolute URL the key is appended to, for example
   *     {@code http://127.0.0.1:8080/analytics/v1/downloads/}; a supplier because the port may be known only once
   *     the server listens
   * @param time clock for link expiry
   */
  public LocalDirectoryObjectStore(Path root, DownloadLinkSigner signer, Supplier<String> downloadBase,
      TimeSource time) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.signer = Objects.requireNonNull(signer, "signer");
    this.downloadBase = Objects.requireNonNull(downloadBase, "downloadBase");
    this.time = Objects.requireNonNull(time, "time");
  }

  @Override
  public long put(String key, String contentType, Content content) {
    Path target = resolve(key);
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), PART_PREFIX, ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
        content.writeTo(new NonClosing(out));
        out.flush();
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      return Files.size(target);
    } catch (IOException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "Could not write object " + key + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public InputStream open(String key) {
    try {
      return Files.newInputStream(resolve(key));
    } catch (NoSuchFileException e) {
      throw new TallyException(TallyException.Kind.NOT_FOUND, NOT_FOUND, "No object " + key + ".");
    } catch (IOException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "Could not read object " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    return files(prefix).filter(p -> !isPart(p)).map(this::keyOf).filter(k -> k.startsWith(prefix)).sorted()
        .toList();
  }

  @Override
  public void delete(String key) {
    try {
      Files.deleteIfExists(resolve(key));
    } catch (IOException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "Could not delete object " + key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int discardIncomplete(String prefix) {
    List<Path> parts = files(prefix).filter(LocalDirectoryObjectStore::isPart)
        .filter(p -> keyOf(p.getParent()).concat("/").startsWith(prefix) || keyOf(p).startsWith(prefix))
        .toList();
    parts.forEach(LocalDirectoryObjectStore::deleteQuietly);
    return parts.size();
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    resolve(key);
    long expires = time.now().plus(ttl).getEpochSecond();
    return downloadBase.get() + key + "?expires=" + expires + "&signature=" + signer.sign(key, expires);
  }

  @Override
  public void checkReady() {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "Export directory " + root + " cannot be created: " + e.getMessage());
    }
    if (!Files.isWritable(root)) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE,
          "Export directory " + root + " is not writable.");
    }
  }

  /** Every regular file in the directories a prefix can reach (the prefix's directory and below). */
  private Stream<Path> files(String prefix) {
    int slash = prefix.lastIndexOf('/');
    Path dir = slash < 0 ? root : resolveDirectory(prefix.substring(0, slash));
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    List<Path> found = new ArrayList<>();
    collect(dir, found);
    return found.stream();
  }

  private static void collect(Path dir, List<Path> found) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (Files.isDirectory(p)) {
          collect(p, found);
        } else if (Files.isRegularFile(p)) {
          found.add(p);
        }
      }
    } catch (NoSuchFileException gone) {
      // Removed while listing: nothing there.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isPart(Path p) {
    return p.getFileName().toString().startsWith(PART_PREFIX);
  }

  private String keyOf(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private Path resolveDirectory(String keyPrefix) {
    return keyPrefix.isEmpty() ? root : resolve(keyPrefix);
  }

  private Path resolve(String key) {
    if (!KEY.matcher(key).matches() || key.contains("..") || key.contains("//")) {
      throw new IllegalArgumentException("object key not allowed: " + key);
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("object key escapes the store: " + key);
    }
    return p;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // A leftover temporary file is removed by discardIncomplete later.
      }
    }
  }

  /** The store closes the file itself, after forcing it to disk. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
