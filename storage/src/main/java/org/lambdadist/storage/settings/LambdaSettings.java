package org.lambdadist.storage.settings;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.lambdadist.core.config.LambdaDefaults;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.storage.UserError;

/**
 * The settings of every entry point, built one way. In order, later wins:
 * <ol>
 *   <li>Hadoop's and HBase's defaults and the {@code *-site.xml} files on the classpath;
 *   <li>{@code lambda-default.xml} (in core's jar: every {@code lambda.*} key, its default and
 *       its documentation, the only place a default is written);
 *   <li>{@code lambda-site.xml} on the classpath, then {@code hbase-site.xml} and
 *       {@code lambda-site.xml} of the configuration directory ({@code $LAMBDA_CONF_DIR}, else
 *       {@code ./conf});
 *   <li>run as an Oozie java action, the action's configuration;
 *   <li>{@code -D key=value} on the command line (added by the entry point's parser).
 * </ol>
 * Typed getters read a key and fall back to its documented default, so no code repeats one.
 */
public final class LambdaSettings {
  /** The system property in which Oozie's launcher names the action's configuration file. */
  public static final String OOZIE_ACTION_CONF = "oozie.action.conf.xml";
  /** The environment variable naming the configuration directory. */
  public static final String CONF_DIR_ENV = "LAMBDA_CONF_DIR";

  static {
    Configuration.addDefaultResource(LambdaDefaults.RESOURCE);
    Configuration.addDefaultResource("lambda-site.xml");
  }

  private LambdaSettings() {}

  /** Registers the product's resources as Hadoop defaults (idempotent; for code that makes its own Configuration). */
  public static void init() {
    // the static initializer did it
  }

  /** The settings of an entry point, before its {@code -D} options. */
  public static Configuration create() {
    Configuration conf = HBaseConfiguration.create();
    conf.setClassLoader(LambdaSettings.class.getClassLoader()); // HBase picks its own, blind to a job jar
    File confDir = confDir();
    for (String name : new String[] {"hbase-site.xml", "lambda-site.xml"}) {
      File f = new File(confDir, name);
      if (f.isFile()) {
        conf.addResource(new Path(f.getAbsoluteFile().toURI()));
      }
    }
    String actionConf = System.getProperty(OOZIE_ACTION_CONF);
    if (actionConf != null) {
      conf.addResource(new Path("file:///", actionConf));
    }
    return conf;
  }

  /** The configuration directory: {@code $LAMBDA_CONF_DIR}, else {@code ./conf}. */
  public static File confDir() {
    String dir = System.getenv(CONF_DIR_ENV);
    return new File(dir != null && !dir.isBlank() ? dir : "conf");
  }

  /** These settings with HBase's defaults and site file under them (for a configuration not made by {@link #create}). */
  public static Configuration withHBase(Configuration conf) {
    Configuration h = HBaseConfiguration.create(conf);
    h.setClassLoader(conf.getClassLoader());
    return h;
  }

  /**
   * Takes {@code -D key=value} (or {@code -Dkey=value}) given after a command's own arguments
   * into {@code conf} (Hadoop's generic options parser stops at the first other argument, and
   * users write {@code lambda status --json -D key=value} too); returns the other arguments.
   *
   * @throws UserError (a usage error) when a {@code -D} has no {@code key=value}
   */
  public static String[] takeLateSettings(Configuration conf, String[] args) throws UserError {
    java.util.List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String setting = null;
      if (args[i].equals("-D")) {
        if (i + 1 >= args.length) {
          throw UserError.usage("-D needs key=value");
        }
        setting = args[++i];
      } else if (args[i].startsWith("-D") && args[i].contains("=")) {
        setting = args[i].substring(2);
      }
      if (setting == null) {
        rest.add(args[i]);
        continue;
      }
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw UserError.usage("-D needs key=value, got '" + setting + "'");
      }
      conf.set(setting.substring(0, eq), setting.substring(eq + 1), "command line");
    }
    return rest.toArray(new String[0]);
  }

  /** A key's value, or its documented default. */
  public static String get(Configuration conf, String key) {
    String v = conf.get(key);
    return v != null ? v : LambdaDefaults.get(key);
  }

  public static int getInt(Configuration conf, String key) {
    String v = get(conf, key).trim();
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: " + v, e);
    }
  }

  public static long getLong(Configuration conf, String key) {
    String v = get(conf, key).trim();
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: " + v, e);
    }
  }

  public static double getDouble(Configuration conf, String key) {
    String v = get(conf, key).trim();
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: " + v, e);
    }
  }

  /** A boolean setting: {@code true} or {@code false}, any case; anything else is refused. */
  public static boolean getBoolean(Configuration conf, String key) {
    String v = get(conf, key).trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(key + " is not true or false: " + v);
  }

  /** A duration setting ({@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}; a bare number is ms) in milliseconds. */
  public static long getMillis(Configuration conf, String key) {
    Configuration one = new Configuration(false);
    one.set(key, get(conf, key));
    try {
      return one.getTimeDuration(key, 0, TimeUnit.MILLISECONDS);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a duration (like 500ms, 2s, 10m, 1h): " + conf.get(key), e);
    }
  }

  /** The data root, qualified against its file system. */
  public static Path root(Configuration conf) throws IOException {
    Path root = new Path(get(conf, LambdaKeys.ROOT));
    return root.getFileSystem(conf).makeQualified(root);
  }

  /** The event bounds of these settings ({@code lambda.event.*}), each a clear error when invalid. */
  public static EventLimits eventLimits(Configuration conf) {
    return EventLimits.fromSettings(conf::get);
  }

  /** The admission rule of these views under these settings' bounds. */
  public static EventRules eventRules(Configuration conf, ViewCatalog catalog) {
    return EventRules.of(catalog, eventLimits(conf));
  }

  /** The views file named by {@code lambda.views.file}, parsed and validated. */
  public static ViewCatalog loadViews(Configuration conf) throws UserError, IOException {
    ViewsFile file = findViews(conf);
    if (file == null) {
      String name = get(conf, LambdaKeys.VIEWS_FILE);
      throw new UserError("views file " + name + " does not exist (set -D " + LambdaKeys.VIEWS_FILE + "=PATH)");
    }
    try {
      return ViewCatalog.parse(file.json(), file.source());
    } catch (ViewDefinitionException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** A views file's text and where it came from. */
  public record ViewsFile(String source, String json) {}

  /**
   * The one lookup of the views file: a name with a scheme is read through its Hadoop file
   * system; a relative local path is looked up in the working directory, then under
   * {@code $LAMBDA_HOME}. Null when there is no such file.
   */
  public static ViewsFile findViews(Configuration conf) throws IOException {
    String name = get(conf, LambdaKeys.VIEWS_FILE);
    URI uri = URI.create(name.replace(" ", "%20"));
    if (uri.getScheme() != null && uri.getScheme().length() > 1) {
      Path p = new Path(name);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return null;
      }
      try (InputStream in = fs.open(p)) {
        return new ViewsFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
      return null;
    }
    if (!Files.isReadable(local)) {
      throw new IOException("views file " + local + " is not readable");
    }
    return new ViewsFile(local.toString(), Files.readString(local));
  }

  /**
   * Sets an HBase client setting to a value unless a site file or the command line set it: for
   * clients that must fail fast (the API answers 503 in time, status answers at all).
   */
  public static void setIfOnlyDefault(Configuration conf, String key, String value) {
    String[] sources = conf.getPropertySources(key);
    boolean onlyDefaults = sources == null || java.util.Arrays.stream(sources).allMatch(s -> s.endsWith("-default.xml"));
    if (onlyDefaults) {
      conf.set(key, value);
    }
  }

  /** True when a key has a value from anywhere but a {@code *-default.xml} file. */
  public static boolean isSetByUser(Configuration conf, String key) {
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
