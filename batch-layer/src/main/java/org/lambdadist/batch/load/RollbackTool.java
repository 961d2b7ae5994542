package org.lambdadist.batch.load;

import java.time.Clock;
import java.time.Instant;
import org.apache.commons.cli.CommandLine;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.hbase.WriterLease;

/**
 * {@code rollback}: serves the previous batch version again, with the same check-and-mutate
 * flip as {@code load}. Current and previous swap, so a second rollback undoes the first.
 */
public final class RollbackTool extends HBaseTool {
  public static final String NAME = "rollback";

  private final Clock clock;

  public RollbackTool() {
    this(Clock.systemUTC());
  }

  public RollbackTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new RollbackTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "rollback [generic options]";
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    HBaseSchema schema = new HBaseSchema(conf);
    try (Connection connection = connect(conf); Admin admin = connection.getAdmin();
         WriterLease lease = batchLease(connection, conf, clock)) {
      MetaStore meta = new MetaStore(connection, schema);
      BatchPointer current = meta.read();
      if (current == null) {
        throw new UserError("no batch version is served; nothing to roll back");
      }
      if (current.previousVersion() == null) {
        throw new UserError("batch version " + current.version() + " has no previous version to roll back to");
      }
      if (!admin.tableExists(schema.versionTable(current.previousVersion()))) {
        throw new UserError("the previous version's table " + schema.versionTable(current.previousVersion())
            + " is gone; cannot roll back");
      }
      BatchPointer back = current.rolledBack(Instant.ofEpochMilli(clock.millis()).toString());
      lease.check("roll back to " + back.version());
      if (!meta.compareAndSet(current.version(), back)) {
        throw new UserError("another load or rollback changed the served version meanwhile; nothing changed");
      }
      err.println("rolled back: serving " + back.version() + " (epochs " + back.firstEpoch() + "-" + back.lastEpoch()
          + ") instead of " + current.version());
    }
    return 0;
  }
}
