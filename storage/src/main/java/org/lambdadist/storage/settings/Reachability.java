package org.lambdadist.storage.settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.UserError;

/**
 * Fails fast and plainly when a dependency is away: within {@code lambda.connect.timeout}
 * (default 10 s) a command that needs HBase learns, in one line, that it cannot reach it, where
 * it looked and what to run, instead of retrying for minutes with stack traces. The details go
 * to the log.
 */
public final class Reachability {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reachability.class);

  private Reachability() {}

  /** Where HBase's clients look first: the bootstrap servers, else ZooKeeper's quorum. */
  static List<InetSocketAddress> hbaseEndpoints(Configuration conf) {
    List<InetSocketAddress> out = new ArrayList<>();
    String bootstrap = conf.getTrimmed("hbase.client.bootstrap.servers", "");
    if (!bootstrap.isEmpty()) {
      for (String hp : bootstrap.split(",")) {
        int colon = hp.lastIndexOf(':');
        out.add(InetSocketAddress.createUnresolved(hp.substring(0, colon).trim(), Integer.parseInt(hp.substring(colon + 1).trim())));
      }
      return out;
    }
    int port = conf.getInt("hbase.zookeeper.property.clientPort", 2181);
    for (String host : conf.getTrimmedStrings("hbase.zookeeper.quorum", "localhost")) {
      int colon = host.lastIndexOf(':');
      out.add(colon > 0 ? InetSocketAddress.createUnresolved(host.substring(0, colon), Integer.parseInt(host.substring(colon + 1)))
          : InetSocketAddress.createUnresolved(host, port));
    }
    return out;
  }

  /** Describes where HBase is looked for, for messages. */
  static String where(Configuration conf) {
    return conf.getTrimmed("hbase.client.bootstrap.servers", "").isEmpty()
        ? "ZooKeeper " + String.join(",", hbaseEndpoints(conf).stream().map(a -> a.getHostString() + ":" + a.getPort()).toList())
          + " (hbase.zookeeper.quorum, hbase.zookeeper.property.clientPort)"
        : "bootstrap servers " + conf.getTrimmed("hbase.client.bootstrap.servers") + " (hbase.client.bootstrap.servers)";
  }

  /** Throws a one-line {@link UserError} unless HBase answers within the connect timeout. */
  public static void requireHBase(Configuration conf) throws UserError {
    long timeout = LambdaSettings.getMillis(conf, LambdaKeys.CONNECT_TIMEOUT);
    String hint = "; start it with scripts/lambda local or scripts/start-hbase, or set its address in"
        + " conf/hbase-site.xml (LAMBDA_CONF_DIR)";
    boolean any = false;
    for (InetSocketAddress a : hbaseEndpoints(conf)) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), (int) Math.min(timeout, Integer.MAX_VALUE));
        any = true;
        break;
      } catch (IOException e) {
        LOG.debug("{} does not answer: {}", a, e.toString());
      }
    }
    if (!any) {
      throw new UserError("HBase is not reachable: nothing answers at " + where(conf) + hint);
    }
    Configuration probe = new Configuration(conf);
    probe.setInt("hbase.client.retries.number", 1);
    probe.setLong("hbase.client.pause", 100);
    probe.setLong("hbase.rpc.timeout", timeout);
    probe.setLong("hbase.client.operation.timeout", timeout);
    probe.setLong("hbase.client.meta.operation.timeout", timeout);
    probe.setInt("zookeeper.recovery.retry", 0);
    ExecutorService one = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hbase-probe");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<Boolean> answer = one.submit(() -> {
        try (Connection c = ConnectionFactory.createConnection(probe); Admin admin = c.getAdmin()) {
          return admin.tableExists(TableName.META_TABLE_NAME);
        }
      });
      answer.get(timeout + 2_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("HBase probe failed", e);
      throw new UserError("HBase is not reachable: " + where(conf) + " answers, but no HBase master or region server"
          + " did within " + timeout / 1000 + " s" + hint);
    } finally {
      one.shutdownNow();
    }
  }

  /**
   * Throws a one-line {@link UserError} unless Kafka's brokers at {@code bootstrap} answer within
   * the connect timeout; {@code clientSettings} are the product's Kafka client settings (TLS, SASL).
   */
  public static void requireKafka(Configuration conf, String bootstrap, java.util.Map<String, String> clientSettings)
      throws UserError {
    long timeout = LambdaSettings.getMillis(conf, LambdaKeys.CONNECT_TIMEOUT);
    java.util.Properties p = new java.util.Properties();
    p.setProperty("bootstrap.servers", bootstrap);
    p.setProperty("request.timeout.ms", Long.toString(timeout));
    p.setProperty("default.api.timeout.ms", Long.toString(timeout));
    p.putAll(clientSettings);
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
      admin.describeCluster().nodes().get(timeout, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("Kafka probe failed", e);
      throw new UserError("Kafka is not reachable: no broker at " + bootstrap + " (lambda.kafka.bootstrap) answered"
          + " within " + timeout / 1000 + " s; start it with scripts/lambda local or scripts/start-kafka, or set"
          + " lambda.kafka.bootstrap");
    }
  }
}
