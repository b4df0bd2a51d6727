package io.tally.analytics.ports.memory;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.ports.out.ObjectStore;
import io.tally.analytics.ports.out.TimeSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link ObjectStore} in a map; signed URLs are {@code memory://<key>?expires=<epochSeconds>}. */
public final class InMemoryObjectStore implements ObjectStore {
  private final Map<String, byte[]> objects = new HashMap<>();
  private final TimeSource time;

  /** @param time clock for URL expiry */
  public InMemoryObjectStore(TimeSource time) {
    this.time = time;
  }

  @Override
  public long put(String key, String contentType, Content content) {
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
    return objects.containsKey(key);
  }

  @Override
  public synchronized InputStream open(String key) {
    byte[] bytes = objects.get(key);
    if (bytes == null) {
      throw new TallyException(NOT_FOUND, "No object " + key + ".");
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public String signedUrl(String key, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    return "memory://" + key + "?expires=" + time.now().plus(ttl).getEpochSecond();
  }
}
