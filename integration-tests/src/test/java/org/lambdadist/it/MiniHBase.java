package org.lambdadist.it;

import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.StartMiniClusterOption;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;

/**
 * An in-process HBase for a test class, as STACK.md measured fastest: ZooKeeper, then one
 * master and one region server on the local file system (no HDFS), info servers off.
 */
final class MiniHBase {
  private MiniHBase() {}

  static HBaseTestingUtility start(Path dir) throws Exception {
    DefaultMetricsSystem.setMiniClusterMode(true);
    Configuration hconf = org.apache.hadoop.hbase.HBaseConfiguration.create();
    hconf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
    hconf.set("hbase.rootdir", new File(dir.toFile(), "hbase").toURI().toString());
    hconf.setInt("hbase.master.info.port", -1);
    hconf.setInt("hbase.regionserver.info.port", -1);
    HBaseTestingUtility hbase = new HBaseTestingUtility(hconf);
    hbase.startMiniZKCluster();
    hbase.startMiniHBaseCluster(StartMiniClusterOption.builder().numMasters(1).numRegionServers(1).build());
    return hbase;
  }
}
