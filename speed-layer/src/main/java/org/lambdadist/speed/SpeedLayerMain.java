package org.lambdadist.speed;

import java.time.Clock;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.GenericOptionsParser;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code spark-submit speed-layer-job.jar [-D key=value …]} (or {@code scripts/start-speed}):
 * runs the speed layer until stopped. Settings: {@code lambda-default.xml}, the configuration
 * directory ({@code $LAMBDA_CONF_DIR}: {@code hbase-site.xml}, {@code lambda-site.xml}), then
 * {@code -D}. It resumes from the offsets committed in HBase meta (writing an interrupted
 * micro-batch again first) with its dedup window from {@code lambda.speed.checkpoint}; every start
 * takes this start's settings.
 */
public final class SpeedLayerMain {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpeedLayerMain.class);
  private SpeedLayerMain() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = LambdaSettings.create();
    String[] rest = new GenericOptionsParser(conf, args).getRemainingArgs();
    if (rest.length > 0) {
      System.err.println("speed layer: unexpected arguments " + Arrays.toString(rest)
          + "\nusage: speed-layer-job.jar [-D key=value ...]   (keys: lambda.kafka.*, lambda.speed.*, lambda.epoch.interval)");
      System.exit(Arrays.asList(rest).contains("--help") ? 0 : 2);
    }
    SpeedSettings settings;
    try {
      settings = new SpeedSettings(conf);
    } catch (IllegalArgumentException | java.io.IOException | org.lambdadist.core.view.ViewDefinitionException e) {
      System.err.println("speed layer: " + e.getMessage());
      System.exit(2);
      return;
    }
    JavaStreamingContext context;
    try {
      org.lambdadist.storage.settings.Reachability.requireHBase(settings.hadoopConf());
      org.lambdadist.storage.settings.Reachability.requireKafka(settings.hadoopConf(), settings.bootstrap,
          org.lambdadist.core.config.LambdaKeys.kafkaClientSettings(settings.hadoopProperties.entrySet()));
    } catch (org.lambdadist.storage.UserError e) {
      System.err.println("speed layer: " + e.getMessage());
      System.exit(1);
      return;
    }
    try {
      context = start(settings, Clock.systemUTC());
    } catch (org.lambdadist.storage.hbase.WriterLease.HeldException | IllegalStateException e) {
      System.err.println("speed layer: " + e.getMessage());
      System.exit(1);
      return;
    }
    // SIGTERM and Ctrl-C stop the stream before the JVM shuts down: once shutdown hooks run,
    // Spark's executor hook kills the local executor before a graceful streaming stop could
    // finish its micro-batch (apache/spark#32297). Handled here, the running micro-batch
    // finishes, awaitTermination returns and main ends normally.
    sun.misc.SignalHandler onSignal = signal -> new Thread(() -> {
      System.err.println("speed layer: SIG" + signal.getName() + ": stopping after the running micro-batch");
      try {
        stop(context, true);
      } catch (java.io.IOException e) {
        LOG.warn("closing HBase and Kafka clients after the stop failed", e);
      }
    }, "speed-layer-stop").start();
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), onSignal);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), onSignal);
    System.err.println("speed layer: started: topic " + settings.topic + " at " + settings.bootstrap
        + ", a micro-batch every " + settings.intervalMillis + " ms, state in " + settings.checkpoint
        + (metricsPort() < 0 ? ", no metrics endpoint"
            : ", metrics on http://" + settings.metricsHost + ":" + metricsPort() + "/metrics"));
    try {
      context.awaitTermination();
    } catch (Exception e) {
      // A micro-batch failed (HBase or Kafka unavailable, a refused ledger): stop rather than
      // skip it. Nothing is lost: a restart writes it again and resumes from the stored offsets.
      LOG.error("stopping after a failed micro-batch; restart to write it again and resume", e);
      stop(context, false);
      System.exit(1);
    }
    // stop() closed this JVM's HBase connection and dead-letter producer.
    System.err.println("speed layer: stopped");
    System.exit(0); // Spark and client libraries leave non-daemon threads behind
  }

  /**
   * Starts the speed layer from its stored offsets; returns the running context. First it
   * takes the speed layer's lease (a second speed layer refuses to start), compares the views
   * with those its cells were computed with ({@link #checkViews}) and starts its metrics
   * endpoint ({@code lambda.speed.metrics.port}); {@code listeners} (a benchmark's) hear every micro-batch.
   */
  public static JavaStreamingContext start(SpeedSettings settings, Clock clock,
                                           org.apache.spark.streaming.scheduler.StreamingListener... listeners)
      throws java.io.IOException {
    try {
      SpeedResources.acquireLease(settings, clock);
      checkViews(settings);
      SpeedMetrics metrics = SpeedResources.startMetrics(settings, clock);
      JavaStreamingContext context = create(settings, clock);
      context.ssc().addStreamingListener(metrics.listener());
      for (org.apache.spark.streaming.scheduler.StreamingListener l : listeners) {
        context.ssc().addStreamingListener(l);
      }
      context.start();
      return context;
    } catch (java.io.IOException | RuntimeException e) {
      SpeedResources.closeAll();
      throw e;
    }
  }

  /**
   * The port of the running speed layer's {@code GET /metrics} (the chosen one when
   * {@code lambda.speed.metrics.port} is 0); -1 when none is served.
   */
  public static int metricsPort() {
    return SpeedResources.metricsPort();
  }

  /**
   * The views of this start against the fingerprint of those the last micro-batch was
   * committed with. The realtime cells hold rows of those views: with other views the answers
   * would mix meanings. So a change is refused with a message saying what to do, or, with
   * {@code lambda.speed.on-views-change=reset}, the realtime table is truncated and the stream
   * resumes from the committed offsets with the new views. The dedup window is kept: which ids
   * were counted does not depend on the views, and the batch layer counts those first copies.
   */
  static void checkViews(SpeedSettings settings) throws java.io.IOException {
    org.lambdadist.storage.hbase.EpochStore epochs =
        new org.lambdadist.storage.hbase.EpochStore(SpeedResources.hbase(settings), SpeedResources.schema(settings));
    String before = epochs.viewsFingerprint();
    String now = settings.catalog().fingerprint();
    if (before != null && !before.equals(now)) {
      if (!settings.onViewsChange.equals("reset")) {
        throw new IllegalStateException("the views changed since the speed layer last ran (fingerprint " + before
            + ", now " + now + "): its realtime cells hold the old definitions. Run lambda cycle so the"
            + " batch covers what it can, then start the speed layer with -D lambda.speed.on-views-change=reset: it"
            + " truncates the realtime table and resumes from its committed offsets with the new views");
      }
      org.apache.hadoop.hbase.TableName realtime = SpeedResources.schema(settings).realtime();
      try (org.apache.hadoop.hbase.client.Admin admin = SpeedResources.hbase(settings).getAdmin()) {
        if (admin.tableExists(realtime)) {
          if (admin.isTableEnabled(realtime)) {
            admin.disableTable(realtime);
          }
          admin.truncateTable(realtime, true);
        }
      }
      LOG.warn("the views changed ({} -> {}): realtime table truncated; resuming from the committed offsets with the"
          + " new views", before, now);
    }
    epochs.recordViewsFingerprint(now);
  }

  /** The speed layer's context, not started yet (to add listeners). */
  public static JavaStreamingContext create(SpeedSettings settings, Clock clock) {
    return SpeedLayerJob.create(settings, clock);
  }

  /**
   * Stops a speed layer started by {@link #start}: gracefully (the running micro-batch
   * finishes) or not (it is cut off, as by a crash; a restart writes it again), then closes
   * this JVM's HBase connection and dead-letter producer.
   */
  public static void stop(JavaStreamingContext context, boolean graceful) throws java.io.IOException {
    try {
      context.stop(true, graceful);
    } finally {
      SpeedResources.closeAll();
    }
  }

  /** Settings from a configuration, for launchers and tests. */
  public static SpeedSettings settings(Configuration conf) throws Exception {
    return new SpeedSettings(conf);
  }
}
