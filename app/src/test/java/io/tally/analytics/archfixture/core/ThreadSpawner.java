package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;

@Planted("core constructs a thread: new Thread(..)")
public class ThreadSpawner {
  public Thread spawn(Runnable work) {
    return new Thread(work);
  }
}
