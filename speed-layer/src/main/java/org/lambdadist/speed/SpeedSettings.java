package org.lambdadist.speed;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;

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
  final long maxRatePerPartition;
  final EventLimits limits;
  final String root;
  final String checkpoint;
  final String master;

  private transient ViewCatalog catalog;
  private transient EventRules rules;

  SpeedSettings(Configuration conf) throws IOException, ViewDefinitionException {
    this.hadoopProperties = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      hadoopProperties.put(e.getKey(), e.getValue());
    }
    Path views = viewsFile(conf.get(LambdaKeys.VIEWS_FILE, LambdaKeys.VIEWS_FILE_DEFAULT));
    this.viewsJson = Files.readString(views);
    this.viewsSource = views.toString();
    this.catalog = ViewCatalog.parse(viewsJson, viewsSource); // fail now, on the driver, with the file's name
    this.bootstrap = conf.get(LambdaKeys.KAFKA_BOOTSTRAP, LambdaKeys.KAFKA_BOOTSTRAP_DEFAULT);
    this.topic = conf.get(LambdaKeys.KAFKA_TOPIC, LambdaKeys.KAFKA_TOPIC_DEFAULT);
    this.rejectedTopic = conf.get(LambdaKeys.KAFKA_REJECTED_TOPIC, LambdaKeys.KAFKA_REJECTED_TOPIC_DEFAULT);
    this.group = conf.get(LambdaKeys.KAFKA_GROUP, LambdaKeys.KAFKA_GROUP_DEFAULT);
    this.intervalMillis = duration(conf, LambdaKeys.SPEED_INTERVAL, LambdaKeys.SPEED_INTERVAL_DEFAULT);
    this.epochIntervalMillis = duration(conf, LambdaKeys.EPOCH_INTERVAL, LambdaKeys.EPOCH_INTERVAL_DEFAULT);
    this.dedupWindowMillis = duration(conf, LambdaKeys.SPEED_DEDUP_WINDOW, LambdaKeys.SPEED_DEDUP_WINDOW_DEFAULT);
    this.maxRatePerPartition = conf.getLong(LambdaKeys.SPEED_MAX_RATE, LambdaKeys.SPEED_MAX_RATE_DEFAULT);
    this.limits = EventLimits.fromSettings(conf::get);
    this.root = conf.get(LambdaKeys.ROOT, LambdaKeys.ROOT_DEFAULT);
    String cp = conf.get(LambdaKeys.SPEED_CHECKPOINT, LambdaKeys.SPEED_CHECKPOINT_DEFAULT);
    this.checkpoint = cp == null || cp.isBlank() ? root + "/speed/checkpoint" : cp;
    this.master = conf.get(LambdaKeys.SPEED_MASTER, LambdaKeys.SPEED_MASTER_DEFAULT);
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

  /** Core's admission rule for these views and limits, built once per JVM. */
  EventRules rules() {
    if (rules == null) {
      rules = EventRules.of(catalog(), limits);
    }
    return rules;
  }

  /** A Hadoop configuration with the driver's settings (for HBase and the file system). */
  Configuration hadoopConf() {
    Configuration conf = new Configuration(false);
    hadoopProperties.forEach(conf::set);
    return conf;
  }

  private static long duration(Configuration conf, String key, String fallback) {
    try {
      return conf.getTimeDuration(key, fallback, TimeUnit.MILLISECONDS);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a duration (like 500ms, 2s, 10m, 1h): " + conf.get(key), e);
    }
  }

  private static Path viewsFile(String name) throws IOException {
    Path file = Paths.get(name);
    String home = System.getenv("LAMBDA_HOME");
    if (!file.isAbsolute() && !Files.exists(file) && home != null) {
      file = Paths.get(home).resolve(name);
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("views file " + name + " (" + LambdaKeys.VIEWS_FILE + ") not found");
    }
    return file;
  }
}
