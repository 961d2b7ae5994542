package org.lambdadist.batch;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
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

  protected static Connection connect(Configuration conf) throws UserError {
    try {
      return ConnectionFactory.createConnection(conf);
    } catch (IOException e) {
      throw new UserError("cannot connect to HBase (ZooKeeper " + conf.get("hbase.zookeeper.quorum") + ":"
          + conf.get("hbase.zookeeper.property.clientPort") + "): " + e.getMessage(), e);
    }
  }
}
