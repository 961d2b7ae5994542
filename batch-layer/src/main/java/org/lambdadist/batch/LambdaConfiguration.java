package org.lambdadist.batch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;

/**
 * Hadoop configuration with the product's settings: {@code lambda-default.xml} (in core's
 * jar, every key documented), then {@code lambda-site.xml} from the classpath ({@code conf/}
 * in the scripts), then {@code -D} on the command line. Registered as default resources so
 * every {@code Configuration}, in the driver and in tasks, sees them.
 */
public final class LambdaConfiguration {
  /** Where the driver puts the view definitions' JSON for the tasks. */
  public static final String VIEWS_JSON = "lambda.internal.views.json";

  static {
    Configuration.addDefaultResource("lambda-default.xml");
    Configuration.addDefaultResource("lambda-site.xml");
  }

  private LambdaConfiguration() {}

  /** The system property in which Oozie's launcher names the action's configuration file. */
  public static final String OOZIE_ACTION_CONF = "oozie.action.conf.xml";

  /**
   * A configuration with the lambda resources; call before building any other one. Run as an
   * Oozie java action, it also reads the action's configuration (the workflow's settings, the
   * cluster's addresses and, on a secure cluster, where the delegation tokens are), as Oozie
   * asks of java actions that submit MapReduce jobs.
   */
  public static Configuration create() {
    Configuration conf = new Configuration();
    String actionConf = System.getProperty(OOZIE_ACTION_CONF);
    if (actionConf != null) {
      conf.addResource(new Path("file:///", actionConf));
    }
    return conf;
  }

  /** The data root, qualified against its file system. */
  public static Path root(Configuration conf) throws IOException {
    Path root = new Path(conf.get(LambdaKeys.ROOT, LambdaKeys.ROOT_DEFAULT));
    return root.getFileSystem(conf).makeQualified(root);
  }

  /**
   * Reads and validates the views file named by {@code lambda.views.file}, and puts its JSON
   * into the configuration for the tasks. A path with a scheme is read through its Hadoop file
   * system; a relative local path is looked up in the working directory, then under
   * {@code LAMBDA_HOME}.
   */
  public static ViewCatalog loadViews(Configuration conf) throws UserError, IOException {
    String name = conf.get(LambdaKeys.VIEWS_FILE, LambdaKeys.VIEWS_FILE_DEFAULT);
    String json = readViewsFile(conf, name);
    try {
      ViewCatalog catalog = ViewCatalog.parse(json, name);
      conf.set(VIEWS_JSON, catalog.json());
      return catalog;
    } catch (ViewDefinitionException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private static String readViewsFile(Configuration conf, String name) throws UserError, IOException {
    URI uri = URI.create(name.replace(" ", "%20"));
    if (uri.getScheme() != null && uri.getScheme().length() > 1) {
      Path p = new Path(name);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new UserError("views file " + name + " does not exist (set " + LambdaKeys.VIEWS_FILE + ")");
      }
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    java.nio.file.Path local = Paths.get(name);
    if (!local.isAbsolute() && !Files.exists(local)) {
      String home = System.getenv("LAMBDA_HOME");
      if (home != null && Files.exists(Paths.get(home).resolve(name))) {
        local = Paths.get(home).resolve(name);
      }
    }
    if (!Files.isRegularFile(local)) {
      throw new UserError("views file " + name + " does not exist (set -D " + LambdaKeys.VIEWS_FILE + "=PATH)");
    }
    if (!Files.isReadable(local)) {
      throw new UserError("views file " + local + " is not readable");
    }
    return Files.readString(local);
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

  /** The event bounds of these settings ({@code lambda.event.*}), each a clear error when invalid. */
  public static EventLimits eventLimits(Configuration conf) {
    return EventLimits.fromSettings(conf::get);
  }

  /** The admission rule of a job's tasks: the job's views under the configured bounds. */
  public static EventRules eventRulesOfJob(Configuration conf) throws IOException {
    try {
      return EventRules.of(viewsOfJob(conf), eventLimits(conf));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
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
    if (!isSetByUser(conf, "mapreduce.client.completion.pollinterval")) {
      // Job.waitForCompletion polls every 5 s by default: most of a small local job's time.
      conf.setInt("mapreduce.client.completion.pollinterval", 100);
    }
    if (!isSetByUser(conf, "mapreduce.local.map.tasks.maximum")) {
      conf.setInt("mapreduce.local.map.tasks.maximum", cores);
    }
    if (!isSetByUser(conf, "mapreduce.local.reduce.tasks.maximum")) {
      conf.setInt("mapreduce.local.reduce.tasks.maximum", cores);
    }
    if (!isSetByUser(conf, "mapreduce.input.fileinputformat.split.maxsize") && inputBytes > 0) {
      conf.setLong("mapreduce.input.fileinputformat.split.maxsize", Math.max(1 << 20, (inputBytes + cores - 1) / cores));
    }
  }

  /** True when a key has a value from anywhere but Hadoop's own {@code *-default.xml} files. */
  static boolean isSetByUser(Configuration conf, String key) {
    if (conf.get(key) == null) {
      return false;
    }
    String[] sources = conf.getPropertySources(key);
    if (sources == null) {
      return true;
    }
    for (String source : sources) {
      if (!source.endsWith("-default.xml")) {
        return true;
      }
    }
    return false;
  }
}
