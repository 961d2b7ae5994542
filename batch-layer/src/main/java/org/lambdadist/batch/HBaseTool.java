package org.lambdadist.batch;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.settings.LambdaSettings;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.lambdadist.storage.UserError;

/** A batch tool that talks to the HBase of {@code hbase-site.xml} (on the classpath, or -conf). */
public abstract class HBaseTool extends LambdaTool {

  /** The tool's configuration with HBase's defaults and site file under it. */
  protected Configuration hbaseConf() {
    return LambdaSettings.withHBase(getConf());
  }

  /** Set by a cycle for its steps: they join its batch lease instead of taking their own. */
  public static final String LEASE_HOLDER = "lambda.internal.lease.holder";

  /**
   * The batch lease for this tool's writes: joined when its cycle (or Oozie workflow) holds it,
   * else taken (waiting up to {@code lambda.lease.wait}) and renewed until closed. A lease held
   * by another writer is a user error naming it.
   */
  protected WriterLease batchLease(Connection connection, Configuration conf, java.time.Clock clock)
      throws UserError, IOException {
    HBaseSchema schema = new HBaseSchema(conf);
    String joined = conf.get(LEASE_HOLDER);
    try {
      if (joined != null) {
        return WriterLease.join(connection, schema, WriterLease.BATCH, joined, clock);
      }
      return WriterLease.acquire(connection, schema, WriterLease.BATCH, WriterLease.holderId(name(), clock),
          LambdaSettings.getMillis(conf, LambdaKeys.LEASE_TTL), LambdaSettings.getMillis(conf, LambdaKeys.LEASE_WAIT),
          clock).withHeartbeat();
    } catch (WriterLease.HeldException | WriterLease.LostException e) {
      throw new UserError(e.getMessage() + "; nothing was done", e);
    }
  }

  protected static Connection connect(Configuration conf) throws UserError {
    org.lambdadist.storage.settings.Reachability.requireHBase(conf);
    try {
      return ConnectionFactory.createConnection(conf);
    } catch (IOException e) {
      throw new UserError("cannot connect to HBase (ZooKeeper " + conf.get("hbase.zookeeper.quorum") + ":"
          + conf.get("hbase.zookeeper.property.clientPort") + "): " + e.getMessage(), e);
    }
  }
}
