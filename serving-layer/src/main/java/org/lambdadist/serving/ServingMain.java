package org.lambdadist.serving;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar serving-layer.jar [-D key=value …]}: serves the API on
 * {@code lambda.serving.port} against the HBase of {@code hbase-site.xml}. Settings come from
 * {@code lambda-default.xml}, then the configuration directory ({@code $LAMBDA_CONF_DIR}, else
 * {@code ./conf}: {@code hbase-site.xml}, {@code lambda-site.xml}), then {@code -D}.
 */
public final class ServingMain extends Configured implements Tool {
  private static final Logger LOG = LoggerFactory.getLogger(ServingMain.class);

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(configuration(), new ServingMain(), args));
  }

  /** HBase's configuration plus the product's resources and the configuration directory. */
  public static Configuration configuration() {
    Configuration.addDefaultResource("lambda-default.xml");
    Configuration.addDefaultResource("lambda-site.xml");
    Configuration conf = HBaseConfiguration.create();
    String dir = System.getenv("LAMBDA_CONF_DIR");
    File confDir = new File(dir != null ? dir : "conf");
    for (String name : new String[] {"hbase-site.xml", "lambda-site.xml"}) {
      File f = new File(confDir, name);
      if (f.isFile()) {
        conf.addResource(new org.apache.hadoop.fs.Path(f.getAbsoluteFile().toURI()));
      }
    }
    // A lookup must fail fast when HBase is away, so the API can answer 503 in time.
    setIfUnset(conf, "hbase.client.retries.number", "3");
    setIfUnset(conf, "hbase.client.pause", "100");
    setIfUnset(conf, "hbase.rpc.timeout", "2000");
    setIfUnset(conf, "hbase.client.operation.timeout", "4000");
    setIfUnset(conf, "hbase.client.meta.operation.timeout", "4000");
    setIfUnset(conf, "zookeeper.recovery.retry", "1");
    return conf;
  }

  private static void setIfUnset(Configuration conf, String key, String value) {
    String[] sources = conf.getPropertySources(key);
    boolean onlyDefaults = sources == null || java.util.Arrays.stream(sources).allMatch(s -> s.endsWith("-default.xml"));
    if (onlyDefaults) {
      conf.set(key, value);
    }
  }

  /** The views served before any batch version is loaded: {@code lambda.views.file}, or null if absent. */
  static ViewCatalog fallbackViews(Configuration conf) throws IOException, ViewDefinitionException {
    String name = conf.get(LambdaKeys.VIEWS_FILE, LambdaKeys.VIEWS_FILE_DEFAULT);
    Path file = Paths.get(name);
    String home = System.getenv("LAMBDA_HOME");
    if (!file.isAbsolute() && !Files.exists(file) && home != null) {
      file = Paths.get(home).resolve(name);
    }
    if (!Files.isRegularFile(file)) {
      LOG.warn("views file {} not found: no view is served until a batch version is loaded", name);
      return null;
    }
    return ViewCatalog.parse(Files.readString(file), file.toString());
  }

  @Override
  public int run(String[] args) throws Exception {
    Configuration conf = getConf();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.err.println("usage: serving-layer.jar [-D key=value ...]   (scripts/serve, lambda serve)\n"
          + "Serves the HTTP API on lambda.serving.host:lambda.serving.port (0.0.0.0:8080) against the HBase of\n"
          + "hbase-site.xml in $LAMBDA_CONF_DIR. Keys: lambda.serving.* (auth.token, max-buckets, hbase-timeout-ms,\n"
          + "meta-cache-ms), lambda.hbase.namespace, lambda.views.file; defaults in lambda-default.xml.");
      return 0;
    }
    if (args.length > 0) {
      System.err.println("serving: unexpected arguments; settings are -D key=value (" + String.join(" ", args) + ")");
      return 2;
    }
    ViewCatalog fallback;
    try {
      fallback = fallbackViews(conf);
    } catch (ViewDefinitionException e) {
      System.err.println("serving: error: " + e.getMessage());
      return 1;
    }
    ServingApi api = new ServingApi(conf, fallback, Clock.systemUTC());
    ServingServer server = new ServingServer(api,
        conf.get(LambdaKeys.SERVING_HOST, LambdaKeys.SERVING_HOST_DEFAULT),
        conf.getInt(LambdaKeys.SERVING_PORT, LambdaKeys.SERVING_PORT_DEFAULT));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        LOG.warn("stopping the server failed", e);
      }
    }, "serving-shutdown"));
    String zk = conf.get("hbase.zookeeper.quorum") + ":" + conf.get("hbase.zookeeper.property.clientPort");
    System.err.println("serving on http://localhost:" + server.port() + "/v1/views (HBase at " + zk + ")");
    server.join();
    return 0;
  }
}
