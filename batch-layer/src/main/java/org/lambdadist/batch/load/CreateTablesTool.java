package org.lambdadist.batch.load;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.settings.LambdaSettings;

/** {@code create-tables}: creates the namespace, meta, realtime and attribution tables where missing. */
public final class CreateTablesTool extends HBaseTool {
  public static final String NAME = "create-tables";

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new CreateTablesTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "create-tables [generic options]";
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    HBaseSchema schema = new HBaseSchema(conf);
    try (Connection connection = connect(conf); Admin admin = connection.getAdmin()) {
      List<String> created = schema.createTables(admin);
      err.println(created.isEmpty() ? "all tables of namespace " + schema.namespace() + " exist"
          : "created " + String.join(", ", created));
    }
    return 0;
  }
}
