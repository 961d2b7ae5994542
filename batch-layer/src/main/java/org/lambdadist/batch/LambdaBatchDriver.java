package org.lambdadist.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.util.ProgramDriver;
import org.lambdadist.batch.aggregate.AggregateTool;
import org.lambdadist.batch.archive.ArchiveTool;
import org.lambdadist.batch.attribution.AttributeTool;
import org.lambdadist.batch.bench.ParseBenchTool;
import org.lambdadist.batch.config.ConfigTool;
import org.lambdadist.batch.cycle.CycleTool;
import org.lambdadist.batch.cycle.StatusTool;
import org.lambdadist.batch.export.ExportTool;
import org.lambdadist.batch.generate.GenerateTool;
import org.lambdadist.batch.load.CreateTablesTool;
import org.lambdadist.batch.load.LoadTool;
import org.lambdadist.batch.load.RollbackTool;
import org.lambdadist.batch.master.ImportTool;
import org.lambdadist.batch.reconcile.ReconcileTool;

/**
 * The job jar's main class: runs a tool by name, as HBase's {@code Driver} does. Each tool's
 * {@code main} goes through {@code ToolRunner}, so {@code -D key=value}, {@code -conf},
 * {@code -fs} and {@code -jt} work after the tool name.
 */
public final class LambdaBatchDriver {
  /** A registered tool: its class and the line {@code lambda batch} lists for it. */
  public record ToolEntry(Class<? extends LambdaTool> type, String description) {}

  private static final Map<String, ToolEntry> TOOLS = new LinkedHashMap<>();

  static {
    register(GenerateTool.NAME, GenerateTool.class, "write a seeded synthetic clickstream (JSON lines)");
    register(ImportTool.NAME, ImportTool.class, "copy JSON-lines files into a new epoch of the master dataset");
    register(ArchiveTool.NAME, ArchiveTool.class, "copy closed Kafka epochs into the master dataset");
    register(AggregateTool.NAME, AggregateTool.class, "recompute every view over the master dataset");
    register(AttributeTool.NAME, AttributeTool.class, "credit conversions to channels and campaigns under every model");
    register(ExportTool.NAME, ExportTool.class, "write the rows of one batch view as JSON lines or CSV");
    register(CreateTablesTool.NAME, CreateTablesTool.class, "create the HBase namespace and tables where missing");
    register(LoadTool.NAME, LoadTool.class, "bulk-load a batch view into HBase and serve it");
    register(RollbackTool.NAME, RollbackTool.class, "serve the previous batch version again");
    register(CycleTool.NAME, CycleTool.class, "one batch cycle: archive, aggregate, attribute, load (under a lock)");
    register(ReconcileTool.NAME, ReconcileTool.class, "compare the speed layer's cells with the batch that took their epochs over");
    register(StatusTool.NAME, StatusTool.class, "versions, epochs, speed-layer progress and Kafka lag");
    register(ParseBenchTool.NAME, ParseBenchTool.class, "parse the master dataset once in one thread (benchmark baseline)");
    register(ConfigTool.NAME, ConfigTool.class, "the effective settings: value, default and where each came from");
  }

  private LambdaBatchDriver() {}

  private static void register(String name, Class<? extends LambdaTool> type, String description) {
    TOOLS.put(name, new ToolEntry(type, description));
  }

  /** Every tool by name, in the order {@code lambda batch} lists them. */
  public static Map<String, ToolEntry> tools() {
    return Collections.unmodifiableMap(TOOLS);
  }

  public static void main(String[] args) throws Throwable {
    System.exit(run(args));
  }

  /**
   * Runs the named tool (whose own {@code main} exits with its code) or, for no name or an
   * unknown one, prints the tools and returns 2, the usage error every command gives (Hadoop's
   * {@code ProgramDriver} alone would return -1, an exit code of 255).
   */
  static int run(String[] args) throws Throwable {
    ProgramDriver driver = new ProgramDriver();
    for (Map.Entry<String, ToolEntry> e : TOOLS.entrySet()) {
      driver.addClass(e.getKey(), e.getValue().type(), e.getValue().description());
    }
    int rc = driver.run(args);
    return rc == -1 && (args.length == 0 || !TOOLS.containsKey(args[0])) ? 2 : rc;
  }
}
