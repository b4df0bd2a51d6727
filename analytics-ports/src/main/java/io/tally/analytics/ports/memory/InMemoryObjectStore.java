package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.export.DownloadLinkSigner;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ObjectStore} in a map, for unit tests (it buffers each object whole: only for small data). Signed URLs
 * are {@code memory:<key>?expires=<epochSeconds>&signature=<hmac>}, checked by {@code DownloadExportFileService}
 * with {@link #signer()}.
 */
public final class InMemoryObjectStore implements ObjectStore {
  private final Map<String, byte[]> objects = new TreeMap<>();
  private final TimeSource time;
  private final DownloadLinkSigner signer = new DownloadLinkSigner("in-memory-store-signing-key-0123456789".getBytes());
  private volatile boolean down;

  /** @param time clock for URL expiry */
  public InMemoryObjectStore(TimeSource time) {
    this.time = time;
  }

  /** @return the signer of this store's links */
  public DownloadLinkSigner signer() {
    return signer;
  }

  /** Makes every call fail with {@link #UNAVAILABLE} (true) or work again (false), as an outage would. */
  public void setDown(boolean isDown) {
    down = isDown;
  }

  @Override
  public long put(String key, String contentType, Content content) {
    requireUp();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      content.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      objects.put(key, out.toByteArray());
    }
    return out.size();
  }

  @Override
  public synchronized boolean exists(String key) {
    requireUp();
    return objects.containsKey(key);
  }

  @Override
  public synchronized InputStream open(String key) {
    requireUp();
    byte[] bytes = objects.get(key);
    if (bytes == null) {
      throw new TallyException(TallyException.Kind.NOT_FOUND, NOT_FOUND, "No object " + key + ".");
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public synchronized List<String> list(String prefix) {
    requireUp();
    return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
  }

  @Override
  public synchronized void delete(String key) {
    requireUp();
    objects.remove(key);
  }

  @Override
  public int discardIncomplete(String prefix) {
    requireUp();
    return 0;
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    long expires = time.now().plus(ttl).getEpochSecond();
    return "memory:" + key + "?expires=" + expires + "&signature=" + signer.sign(key, expires);
  }

  @Override
  public void checkReady() {
    requireUp();
  }

  private void requireUp() {
    if (down) {
      throw new TallyException(TallyException.Kind.UNAVAILABLE, UNAVAILABLE, "in-memory object store is down (test)");
    }
  }
}
