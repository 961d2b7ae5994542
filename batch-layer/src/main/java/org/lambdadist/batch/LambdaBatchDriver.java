package org.lambdadist.batch;

import org.apache.hadoop.util.ProgramDriver;
import org.lambdadist.batch.aggregate.AggregateTool;
import org.lambdadist.batch.archive.ArchiveTool;
import org.lambdadist.batch.attribution.AttributeTool;
import org.lambdadist.batch.bench.ParseBenchTool;
import org.lambdadist.batch.export.ExportTool;
import org.lambdadist.batch.generate.GenerateTool;
import org.lambdadist.batch.load.CreateTablesTool;
import org.lambdadist.batch.load.LoadTool;
import org.lambdadist.batch.load.RollbackTool;
import org.lambdadist.batch.master.ImportTool;

/**
 * The job jar's main class: runs a tool by name, as HBase's {@code Driver} does. Each tool's
 * {@code main} goes through {@code ToolRunner}, so {@code -D key=value}, {@code -conf},
 * {@code -fs} and {@code -jt} work after the tool name.
 */
public final class LambdaBatchDriver {
  private LambdaBatchDriver() {}

  public static void main(String[] args) throws Throwable {
    ProgramDriver driver = new ProgramDriver();
    driver.addClass(GenerateTool.NAME, GenerateTool.class, "write a seeded synthetic clickstream (JSON lines)");
    driver.addClass(ImportTool.NAME, ImportTool.class, "copy JSON-lines files into a new epoch of the master dataset");
    driver.addClass(ArchiveTool.NAME, ArchiveTool.class, "copy closed Kafka epochs into the master dataset");
    driver.addClass(AggregateTool.NAME, AggregateTool.class, "recompute every view over the master dataset");
    driver.addClass(AttributeTool.NAME, AttributeTool.class, "credit conversions to channels and campaigns under every model");
    driver.addClass(ExportTool.NAME, ExportTool.class, "write the rows of one batch view as JSON lines or CSV");
    driver.addClass(CreateTablesTool.NAME, CreateTablesTool.class, "create the HBase namespace and tables where missing");
    driver.addClass(LoadTool.NAME, LoadTool.class, "bulk-load a batch view into HBase and serve it");
    driver.addClass(RollbackTool.NAME, RollbackTool.class, "serve the previous batch version again");
    driver.addClass(ParseBenchTool.NAME, ParseBenchTool.class, "parse the master dataset once in one thread (benchmark baseline)");
    System.exit(driver.run(args));
  }
}
