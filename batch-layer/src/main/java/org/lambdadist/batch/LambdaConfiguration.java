package org.lambdadist.batch;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * What the batch layer adds to the one settings bootstrap ({@link LambdaSettings}): the view
 * definitions a job's driver hands its tasks through the job configuration, and how jobs use
 * every core in the LocalJobRunner.
 */
public final class LambdaConfiguration {
  /** Where the driver puts the view definitions' JSON for the tasks. */
  public static final String VIEWS_JSON = "lambda.internal.views.json";

  private LambdaConfiguration() {}

  /**
   * Reads and validates the views file ({@link LambdaSettings#loadViews}) and puts its JSON into
   * the configuration for the tasks.
   */
  public static ViewCatalog loadViews(Configuration conf) throws UserError, IOException {
    ViewCatalog catalog = LambdaSettings.loadViews(conf);
    conf.set(VIEWS_JSON, catalog.json());
    return catalog;
  }

  /** The views the driver put into a job's configuration. */
  public static ViewCatalog viewsOfJob(Configuration conf) throws IOException {
    String json = conf.get(VIEWS_JSON);
    if (json == null) {
      throw new IOException(VIEWS_JSON + " is not set: the job was not built by its tool");
    }
    try {
      return ViewCatalog.parse(json, VIEWS_JSON);
    } catch (ViewDefinitionException e) {
      throw new IOException("views in the job configuration are invalid: " + e.getMessage(), e);
    }
  }

  /** The admission rule of a job's tasks: the job's views under the configured bounds. */
  public static EventRules eventRulesOfJob(Configuration conf) throws IOException {
    try {
      return LambdaSettings.eventRules(conf, viewsOfJob(conf));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Names the job jar (the jar holding {@code c}) for a job that runs on a cluster. A local job
   * runs in this JVM with these classes already loaded: naming the jar there only made Hadoop
   * copy its 20 MB into the staging directory on every job.
   */
  public static void setJobJar(org.apache.hadoop.mapreduce.Job job, Class<?> c) {
    if (!isLocal(job.getConfiguration())) {
      job.setJarByClass(c);
    }
  }

  /** True when jobs run in the LocalJobRunner (no cluster configured). */
  public static boolean isLocal(Configuration conf) {
    return "local".equals(conf.get("mapreduce.framework.name", "local"));
  }

  /**
   * In the LocalJobRunner, runs as many map and reduce tasks at once as there are cores
   * (Hadoop's default is one), splits the input so every core has work, and polls for job
   * completion every 100 ms instead of 5 s, each unless set.
   */
  public static void useAllCoresWhenLocal(Configuration conf, long inputBytes) {
    if (!isLocal(conf)) {
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (!LambdaSettings.isSetByUser(conf, "mapreduce.client.completion.pollinterval")) {
      // Job.waitForCompletion polls every 5 s by default: most of a small local job's time.
      conf.setInt("mapreduce.client.completion.pollinterval", 100);
    }
    if (!LambdaSettings.isSetByUser(conf, "mapreduce.task.io.sort.mb")) {
      // Every map task allocates this buffer anew (100 MB by default): in one JVM, tasks after
      // tasks, that was most of the heap's churn, a 0.5 s collection and seconds of page zeroing.
      // In-mapper aggregation leaves a task a few MB of output.
      conf.setInt("mapreduce.task.io.sort.mb", 16);
    }
    if (!LambdaSettings.isSetByUser(conf, "mapreduce.local.map.tasks.maximum")) {
      conf.setInt("mapreduce.local.map.tasks.maximum", cores);
    }
    if (!LambdaSettings.isSetByUser(conf, "mapreduce.local.reduce.tasks.maximum")) {
      conf.setInt("mapreduce.local.reduce.tasks.maximum", cores);
    }
    if (!LambdaSettings.isSetByUser(conf, "mapreduce.input.fileinputformat.split.maxsize") && inputBytes > 0) {
      conf.setLong("mapreduce.input.fileinputformat.split.maxsize", Math.max(1 << 20, (inputBytes + cores - 1) / cores));
    }
  }
}
