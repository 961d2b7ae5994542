package org.lambdadist.serving;

import java.io.IOException;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinitionException;
import org.lambdadist.serving.http.ServingApi;
import org.lambdadist.serving.http.ServingServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code java -jar serving-layer.jar [-D key=value …]}: serves the API on
 * {@code lambda.serving.port} against the HBase of {@code hbase-site.xml}, with the settings of
 * {@link LambdaSettings} (defaults, the configuration directory, then {@code -D}).
 */
public final class ServingMain extends Configured implements Tool {
  private static final Logger LOG = LoggerFactory.getLogger(ServingMain.class);

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(configuration(), new ServingMain(), args));
  }

  /**
   * The one settings bootstrap ({@link LambdaSettings#create}) with HBase client timeouts short
   * enough that a lookup fails fast when HBase is away, so the API can answer 503 in time
   * (unless a site file or {@code -D} sets them).
   */
  public static Configuration configuration() {
    Configuration conf = LambdaSettings.create();
    LambdaSettings.setIfOnlyDefault(conf, "hbase.client.retries.number", "3");
    LambdaSettings.setIfOnlyDefault(conf, "hbase.client.pause", "100");
    LambdaSettings.setIfOnlyDefault(conf, "hbase.rpc.timeout", "2000");
    LambdaSettings.setIfOnlyDefault(conf, "hbase.client.operation.timeout", "4000");
    LambdaSettings.setIfOnlyDefault(conf, "hbase.client.meta.operation.timeout", "4000");
    LambdaSettings.setIfOnlyDefault(conf, "zookeeper.recovery.retry", "1");
    return conf;
  }

  /** The views served before any batch version is loaded: {@code lambda.views.file}, or null if absent. */
  static ViewCatalog fallbackViews(Configuration conf) throws IOException, ViewDefinitionException {
    LambdaSettings.ViewsFile file = LambdaSettings.findViews(conf);
    if (file == null) {
      LOG.warn("views file {} not found: no view is served until a batch version is loaded",
          LambdaSettings.get(conf, LambdaKeys.VIEWS_FILE));
      return null;
    }
    return ViewCatalog.parse(file.json(), file.source());
  }

  @Override
  public int run(String[] args) throws Exception {
    Configuration conf = getConf();
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.err.println("usage: serving-layer.jar [-D key=value ...]   (scripts/serve, lambda serve)\n"
          + "Serves the HTTP API on lambda.serving.host:lambda.serving.port (0.0.0.0:8080) against the HBase of\n"
          + "hbase-site.xml in $LAMBDA_CONF_DIR. Keys: lambda.serving.* (auth.token, max-buckets, deadline-ms, max-concurrent,\n"
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
        LambdaSettings.get(conf, LambdaKeys.SERVING_HOST),
        LambdaSettings.getInt(conf, LambdaKeys.SERVING_PORT),
        LambdaSettings.getInt(conf, LambdaKeys.SERVING_MAX_CONNECTIONS),
        LambdaSettings.getInt(conf, LambdaKeys.SERVING_MAX_REQUEST_BYTES));
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
