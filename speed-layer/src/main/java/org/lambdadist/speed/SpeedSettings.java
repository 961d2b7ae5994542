package org.lambdadist.speed;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Everything the job needs on the driver and the executors, resolved once from the
 * configuration ({@code lambda-default.xml}, the configuration directory, {@code -D}) and
 * carried as plain values: the Hadoop configuration is not serializable, and executors must
 * not depend on files of the submitting machine. The views are carried as their JSON text.
 */
public final class SpeedSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  final Map<String, String> hadoopProperties;
  final String viewsJson;
  final String viewsSource;
  final String bootstrap;
  final String topic;
  final String rejectedTopic;
  final String group;
  final long intervalMillis;
  final long epochIntervalMillis;
  final long dedupWindowMillis;
  final int dedupPartitions;
  final long maxRatePerPartition;
  final org.lambdadist.core.event.EventLimits limits;
  final String root;
  final String checkpoint;
  final String master;
  final long leaseTtlMillis;
  final String onViewsChange;
  /** The metrics endpoint's port: 0 any free one, -1 none. */
  final int metricsPort;
  final String metricsHost;

  private transient ViewCatalog catalog;
  private transient EventRules rules;

  SpeedSettings(Configuration conf) throws IOException, ViewDefinitionException {
    this.hadoopProperties = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      hadoopProperties.put(e.getKey(), e.getValue());
    }
    LambdaSettings.ViewsFile views = LambdaSettings.findViews(conf);
    if (views == null) {
      throw new IOException("views file " + LambdaSettings.get(conf, LambdaKeys.VIEWS_FILE) + " ("
          + LambdaKeys.VIEWS_FILE + ") not found");
    }
    this.viewsJson = views.json();
    this.viewsSource = views.source();
    this.catalog = ViewCatalog.parse(viewsJson, viewsSource); // fail now, on the driver, with the file's name
    this.bootstrap = LambdaSettings.get(conf, LambdaKeys.KAFKA_BOOTSTRAP);
    this.topic = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
    this.rejectedTopic = LambdaSettings.get(conf, LambdaKeys.KAFKA_REJECTED_TOPIC);
    this.group = LambdaSettings.get(conf, LambdaKeys.KAFKA_GROUP);
    this.intervalMillis = LambdaSettings.getMillis(conf, LambdaKeys.SPEED_INTERVAL);
    this.epochIntervalMillis = LambdaSettings.getMillis(conf, LambdaKeys.EPOCH_INTERVAL);
    this.dedupWindowMillis = LambdaSettings.getMillis(conf, LambdaKeys.SPEED_DEDUP_WINDOW);
    long partitions = LambdaSettings.getLong(conf, LambdaKeys.SPEED_DEDUP_PARTITIONS);
    if (partitions < 1 || partitions > 4096) {
      throw new IllegalArgumentException(LambdaKeys.SPEED_DEDUP_PARTITIONS + " must be 1 to 4096: " + partitions);
    }
    this.dedupPartitions = (int) partitions;
    if (dedupWindowMillis <= 0) {
      throw new IllegalArgumentException(LambdaKeys.SPEED_DEDUP_WINDOW + " must be positive: " + dedupWindowMillis + "ms");
    }
    this.maxRatePerPartition = LambdaSettings.getLong(conf, LambdaKeys.SPEED_MAX_RATE);
    this.limits = LambdaSettings.eventLimits(conf);
    this.root = LambdaSettings.get(conf, LambdaKeys.ROOT);
    String cp = LambdaSettings.get(conf, LambdaKeys.SPEED_CHECKPOINT);
    this.checkpoint = cp == null || cp.isBlank() ? DataLayout.speedCheckpoint(root) : cp;
    this.master = LambdaSettings.get(conf, LambdaKeys.SPEED_MASTER);
    this.leaseTtlMillis = LambdaSettings.getMillis(conf, LambdaKeys.LEASE_TTL);
    this.onViewsChange = LambdaSettings.get(conf, LambdaKeys.SPEED_ON_VIEWS_CHANGE).trim();
    if (!onViewsChange.equals("refuse") && !onViewsChange.equals("reset")) {
      throw new IllegalArgumentException(LambdaKeys.SPEED_ON_VIEWS_CHANGE + " must be refuse or reset: " + onViewsChange);
    }
    long port = LambdaSettings.getLong(conf, LambdaKeys.SPEED_METRICS_PORT);
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(LambdaKeys.SPEED_METRICS_PORT + " must be a port, 0 (any free one) or -1"
          + " (no endpoint): " + port);
    }
    this.metricsPort = (int) port;
    this.metricsHost = LambdaSettings.get(conf, LambdaKeys.SPEED_METRICS_HOST).trim();
    String concurrent = conf.get("spark.streaming.concurrentJobs");
    if (concurrent != null && !concurrent.trim().equals("1")) {
      throw new IllegalArgumentException("spark.streaming.concurrentJobs must be 1: micro-batches commit their offsets"
          + " in order (it is " + concurrent + ")");
    }
    if (intervalMillis < 100) {
      throw new IllegalArgumentException(LambdaKeys.SPEED_INTERVAL + " must be at least 100ms: " + intervalMillis + "ms");
    }
    if (epochIntervalMillis < intervalMillis) {
      throw new IllegalArgumentException(LambdaKeys.EPOCH_INTERVAL + " must not be shorter than "
          + LambdaKeys.SPEED_INTERVAL);
    }
  }

  /** The views, parsed once per JVM. */
  ViewCatalog catalog() {
    if (catalog == null) {
      try {
        catalog = ViewCatalog.parse(viewsJson, viewsSource);
      } catch (ViewDefinitionException e) {
        throw new IllegalStateException("views changed meaning between driver and executor: " + e.getMessage(), e);
      }
    }
    return catalog;
  }

  /**
   * Core's admission rule for these views and limits, built once per JVM: every task gets its own
   * copy of these settings, and building the rules (the views parsed, the projection) for each
   * was a fixed cost of every micro-batch.
   */
  EventRules rules() {
    if (rules == null) {
      rules = RULES.computeIfAbsent(viewsJson + "\u0000" + limits, k -> EventRules.of(catalog(), limits));
    }
    return rules;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, EventRules> RULES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A Hadoop configuration with the driver's settings (for HBase and the file system). */
  Configuration hadoopConf() {
    Configuration conf = new Configuration(false);
    hadoopProperties.forEach(conf::set);
    return conf;
  }


}
