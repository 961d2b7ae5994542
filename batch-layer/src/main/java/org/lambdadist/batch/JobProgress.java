package org.lambdadist.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Runs a MapReduce job and tells its user how it goes, as {@code hadoop jar} users expect: every
 * batch tool submits its jobs through {@link #run(Job, PrintStream)} instead of
 * {@code Job.waitForCompletion}, which says nothing until the end (or, verbose, logs through
 * log4j where a tool's stderr and the cycle's step log do not see it).
 *
 * <p>What it prints, each line prefixed by the job id:
 * <ul>
 *   <li>at submission, the job's name and tracking URL (on YARN the application's page; the
 *       LocalJobRunner has none and says so);</li>
 *   <li>while the job runs, its map and reduce percentages (map only for a job without
 *       reducers) whenever they changed, at most once per {@code lambda.batch.progress-interval-ms};</li>
 *   <li>at the end, the last percentages if not yet printed, and whether it succeeded, with its
 *       duration and Hadoop's final state.</li>
 * </ul>
 * The job's end is noticed within the shorter of that interval and Hadoop's
 * {@code mapreduce.client.completion.pollinterval} (which the local runner sets to 100 ms), so a
 * small local job ends as soon as with {@code waitForCompletion}. Failure handling stays the
 * caller's: this returns whether the job succeeded, and the caller reads
 * {@code job.getStatus().getFailureInfo()} as before.
 */
public final class JobProgress {
  /** What the reporter reads of a submitted job; {@link Job} in production, a scripted job in tests. */
  interface Tracked {
    void submit() throws IOException, InterruptedException;

    String id();

    String name();

    /** The job's tracking URL, or null when it has none (the LocalJobRunner). */
    String trackingUrl() throws IOException, InterruptedException;

    boolean hasReducers();

    boolean isComplete() throws IOException;

    float mapProgress() throws IOException;

    float reduceProgress() throws IOException;

    boolean isSuccessful() throws IOException;

    /** Hadoop's final state (SUCCEEDED, FAILED, KILLED), for the last line. */
    String state() throws IOException, InterruptedException;
  }

  /** Waits between two readings of the job; {@link Thread#sleep} except in tests. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final PrintStream out;
  private final Clock clock;
  private final Sleeper sleeper;
  private final long intervalMillis;
  private final long pollMillis;

  JobProgress(PrintStream out, Clock clock, Sleeper sleeper, long intervalMillis, long completionPollMillis) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException(LambdaKeys.BATCH_PROGRESS_INTERVAL_MS + " must be at least 1, got " + intervalMillis);
    }
    this.out = out;
    this.clock = clock;
    this.sleeper = sleeper;
    this.intervalMillis = intervalMillis;
    this.pollMillis = Math.max(1, Math.min(intervalMillis, completionPollMillis));
  }

  /**
   * Submits {@code job}, prints its id, tracking URL and progress on {@code out} until it ends,
   * and returns whether it succeeded. The intervals come from the job's configuration.
   */
  public static boolean run(Job job, PrintStream out) throws IOException, InterruptedException {
    Configuration conf = job.getConfiguration();
    JobProgress progress = new JobProgress(out, Clock.systemUTC(), Thread::sleep,
        LambdaSettings.getLong(conf, LambdaKeys.BATCH_PROGRESS_INTERVAL_MS), Job.getCompletionPollInterval(conf));
    return progress.follow(new HadoopJob(job, LambdaConfiguration.isLocal(conf)));
  }

  /** Submits the job and reports on it until it ends; returns whether it succeeded. */
  boolean follow(Tracked job) throws IOException, InterruptedException {
    long started = clock.millis();
    job.submit();
    String url = job.trackingUrl();
    out.println("job " + job.id() + " (" + job.name() + "): "
        + (url == null ? "running in the local job runner (no tracking URL)" : "tracking URL " + url));
    String printed = null;
    long printedAt = Long.MIN_VALUE;
    while (true) {
      boolean complete = job.isComplete();
      String now = percentages(job);
      long t = clock.millis();
      // While running: a change, once per interval. At the end: the last figures, whatever the interval.
      if (!now.equals(printed) && (complete || printedAt == Long.MIN_VALUE || t - printedAt >= intervalMillis)) {
        out.println("job " + job.id() + ": " + now);
        printed = now;
        printedAt = t;
      }
      if (complete) {
        break;
      }
      sleeper.sleep(pollMillis);
    }
    boolean ok = job.isSuccessful();
    out.printf(Locale.ROOT, "job %s %s in %.1f s%n", job.id(), ok ? "succeeded" : "ended " + job.state(),
        (clock.millis() - started) / 1000.0);
    return ok;
  }

  private static String percentages(Tracked job) throws IOException {
    String map = "map " + percent(job.mapProgress());
    return job.hasReducers() ? map + " reduce " + percent(job.reduceProgress()) : map;
  }

  /** Whole percent, rounded down: 100% only when the phase is done. */
  static String percent(float progress) {
    float bounded = Math.max(0f, Math.min(1f, progress));
    return (int) Math.floor(bounded * 100f + 1e-4f) + "%";
  }

  /** Hadoop's {@link Job} as {@link Tracked}. */
  private record HadoopJob(Job job, boolean local) implements Tracked {
    @Override
    public void submit() throws IOException, InterruptedException {
      try {
        job.submit();
      } catch (ClassNotFoundException e) {
        throw new IOException("job " + job.getJobName() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public String id() {
      return String.valueOf(job.getJobID());
    }

    @Override
    public String name() {
      return job.getJobName();
    }

    @Override
    public String trackingUrl() {
      // The LocalJobRunner answers a fixed http://localhost:8080/, which nothing serves (or the API does).
      return local ? null : job.getTrackingURL();
    }

    @Override
    public boolean hasReducers() {
      return job.getNumReduceTasks() > 0;
    }

    @Override
    public boolean isComplete() throws IOException {
      return job.isComplete();
    }

    @Override
    public float mapProgress() throws IOException {
      return job.mapProgress();
    }

    @Override
    public float reduceProgress() throws IOException {
      return job.reduceProgress();
    }

    @Override
    public boolean isSuccessful() throws IOException {
      return job.isSuccessful();
    }

    @Override
    public String state() throws IOException, InterruptedException {
      return String.valueOf(job.getJobState());
    }
  }
}
