package org.lambdadist.batch.partial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one task per part file of a version or an epoch's rows ({@code part-r-NNNNN}), on every
 * core, and sums what they return: parts are independent (rows are partitioned by view key),
 * so merging a version and writing an epoch's rows both go part by part in parallel.
 */
final class PerPart {
  private PerPart() {}

  /** The work on part {@code p}; returns its row count. */
  interface Task {
    long run(int part) throws IOException;
  }

  /** Runs {@code task} on parts {@code 0..parts-1}; {@code what} names the work in errors. */
  static long sum(int parts, String threadName, String what, Task task) throws IOException {
    int threads = Math.max(1, Math.min(parts, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        int part = p;
        results.add(pool.submit(() -> task.run(part)));
      }
      long rows = 0;
      for (Future<Long> f : results) {
        rows += f.get();
      }
      return rows;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while " + what);
    } catch (ExecutionException e) {
      throw failure(e, what);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The IOException a task failed with, or one wrapping what else it threw. */
  static IOException failure(ExecutionException e, String what) {
    if (e.getCause() instanceof IOException io) {
      return io;
    }
    return new IOException(what + " failed: " + e.getCause(), e.getCause());
  }
}
