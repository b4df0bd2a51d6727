package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Planted("core creates a thread pool: Executors.newFixedThreadPool")
public class PoolStarter {
  public ExecutorService pool() {
    return Executors.newFixedThreadPool(2);
  }
}
