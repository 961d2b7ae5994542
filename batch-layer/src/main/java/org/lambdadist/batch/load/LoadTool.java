package org.lambdadist.batch.load;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.mapreduce.HFileOutputFormat2;
import org.apache.hadoop.hbase.tool.BulkLoadHFiles;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskCounter;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.storage.hbase.AttributionStore;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.layout.AttributionOutputs;
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.layout.MasterDataset;

/**
 * {@code load [--version V | --input DIR]}: serves a batch view (the latest committed one by
 * default). Steps: create the tables if missing; write the view's rows as HFiles
 * ({@code HFileOutputFormat2}, one HFile per pre-split region) into a new table {@code views_<version>};
 * bulk-load them; check that every row arrived; then flip the meta pointer with
 * check-and-mutate, the previous version kept for {@code rollback}; then drop versions beyond
 * {@code lambda.serving.keep-versions} and tables left by failed loads.
 *
 * <p>Until the flip nothing served changes: a failed or killed load leaves at most an
 * unreferenced table, which the next load drops.
 */
public final class LoadTool extends HBaseTool {
  public static final String NAME = "load";
  /** Test hook: fail after the bulk load, before the flip, as a killed load would. */
  static final String FAIL_BEFORE_FLIP = "lambda.internal.load.fail-before-flip";

  private final Clock clock;

  public LoadTool() {
    this(Clock.systemUTC());
  }

  public LoadTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new LoadTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "load [generic options] [--version VERSION | --input DIR] [--force]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("version").hasArg().argName("VERSION").desc("a committed batch view version; default the latest").build())
        .addOption(Option.builder().longOpt("input").hasArg().argName("DIR").desc("an aggregate output directory (aggregate --output)").build())
        .addOption(Option.builder().longOpt("force").desc("serve a version even when it does not cover every committed epoch"
            + " from the first up to its last (answers would leave the missing epochs out)").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    Path dir = BatchViews.resolve(conf, cmd.getOptionValue("version"), cmd.getOptionValue("input"));
    FileSystem fs = dir.getFileSystem(conf);
    String version = dir.getName();
    String viewsJson = BatchViews.snapshot(fs, dir).json();
    List<Long> epochs = BatchViews.coveredEpochs(fs, dir);
    requireContiguousCoverage(conf, version, epochs, cmd.hasOption("force"));
    List<Path> files = ViewRowFile.files(fs, dir);
    HBaseSchema schema = new HBaseSchema(conf);
    TableName table = schema.versionTable(version);
    long started = clock.millis();

    try (Connection connection = connect(conf); Admin admin = connection.getAdmin()) {
      schema.createTables(admin);
      try (WriterLease lease = batchLease(connection, conf, clock)) {
        loadFenced(connection, admin, schema, lease, conf, version, dir, fs, viewsJson, epochs, files, table, started);
      }
    }
    return 0;
  }

  private void loadFenced(Connection connection, Admin admin, HBaseSchema schema, WriterLease lease, Configuration conf,
                          String version, Path dir, FileSystem fs, String viewsJson, List<Long> epochs, List<Path> files,
                          TableName table, long started) throws Exception {
    MetaStore meta = new MetaStore(connection, schema);
    BatchPointer before = meta.read();
    if (before != null && version.equals(before.version())) {
      throw new UserError("batch view " + version + " is already the served version");
    }
    if (before != null && version.equals(before.previousVersion())) {
      throw new UserError("batch view " + version + " is the previous version: use rollback to serve it again");
    }
    lease.check("drop the tables of old and dead loads");
    dropTables(connection, admin, schema, keep(meta.read(), null), err);
    schema.createVersionTable(admin, version);

    Path hfiles = new Path(new BatchViews(conf, LambdaSettings.root(conf)).dir(),
        "_hfiles/" + version + "." + clock.millis());
    long rows;
    try {
      rows = writeHFiles(conf, connection, table, files, hfiles, err);
      BulkLoadHFiles.create(conf).bulkLoad(table, hfiles);
    } finally {
      hfiles.getFileSystem(conf).delete(hfiles, true);
    }
    long expected = viewRows(fs, dir);
    if (expected >= 0 && rows != expected) {
      throw new IOException("load check failed: " + rows + " rows written, the batch view has " + expected);
    }
    Path attribution = AttributionOutputs.dir(conf, LambdaSettings.root(conf), version);
    FileSystem attributionFs = attribution.getFileSystem(conf);
    long attributionRows = 0;
    if (attributionFs.exists(new Path(attribution, BatchViews.SUCCESS))) {
      List<AttributionRow> rowsOfVersion = AttributionOutputs.readRows(attributionFs, attribution, null);
      new AttributionStore(connection, schema).write(version, rowsOfVersion);
      attributionRows = rowsOfVersion.size();
    } else {
      err.println("no attribution for " + version + " (run attribute before load to serve it)");
    }
    if (conf.getBoolean(FAIL_BEFORE_FLIP, false)) {
      throw new IOException("failing before the flip, as asked by " + FAIL_BEFORE_FLIP);
    }
    BatchPointer next = before == null
        ? new BatchPointer(version, epochs.get(0), epochs.get(epochs.size() - 1), viewsJson, now(), null, -1, -1, null)
        : before.flipTo(version, epochs.get(0), epochs.get(epochs.size() - 1), viewsJson, now());
    lease.check("flip the served version to " + version);
    if (!meta.compareAndSet(before == null ? null : before.version(), next)) {
      throw new UserError("another load or rollback changed the served version meanwhile; " + version
          + " was not flipped in (its table is dropped by the next load)");
    }
    lease.check("drop the tables of versions no longer kept");
    dropTables(connection, admin, schema, keep(meta.read(), conf), err);
    err.printf("loaded %s (%,d rows, %,d attribution rows, epochs %d-%d) into %s in %.1f s; serving it, previous %s%n",
        version, rows, attributionRows, next.firstEpoch(), next.lastEpoch(), table.getNameAsString(),
        (clock.millis() - started) / 1000.0, next.previousVersion() == null ? "none" : next.previousVersion());
  }

  /**
   * A served version must cover every committed epoch from the first up to its last: the merge
   * adds realtime cells only after the version's last epoch, so an epoch missing in between
   * would silently vanish from every answer. Refused unless forced.
   */
  private void requireContiguousCoverage(Configuration conf, String version, List<Long> covered, boolean force)
      throws IOException, UserError {
    long last = covered.get(covered.size() - 1);
    java.util.Set<Long> have = new java.util.HashSet<>(covered);
    List<Long> missing = new java.util.ArrayList<>();
    for (long e : new MasterDataset(conf, LambdaSettings.root(conf)).committedEpochs()) {
      if (e <= last && !have.contains(e)) {
        missing.add(e);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String what = "batch view " + version + " covers epochs " + covered + " but not the committed epoch(s) " + missing
        + " before its last";
    if (!force) {
      throw new UserError(what + ": answers would leave them out. Aggregate every epoch (aggregate without --epochs)"
          + " and load that version, or load --force to serve it anyway");
    }
    err.println("load: warning: " + what + "; served anyway (--force)");
  }

  private String now() {
    return Instant.ofEpochMilli(clock.millis()).toString();
  }

  /** The versions that must stay: the pointer's current (and previous, unless keep-versions is 1). */
  private static Set<String> keep(BatchPointer pointer, Configuration conf) {
    Set<String> keep = new java.util.HashSet<>();
    if (pointer != null) {
      keep.add(pointer.version());
      int versions = conf == null ? 2 : LambdaSettings.getInt(conf, LambdaKeys.SERVING_KEEP_VERSIONS);
      if (pointer.previousVersion() != null && versions >= 2) {
        keep.add(pointer.previousVersion());
      }
    }
    return keep;
  }

  /**
   * Drops every version table not in {@code keep}, with its attribution rows: older versions and
   * leftovers of failed loads.
   */
  static void dropTables(Connection connection, Admin admin, HBaseSchema schema, Set<String> keep,
                         java.io.PrintStream log) throws IOException {
    for (TableName t : admin.listTableNamesByNamespace(schema.namespace())) {
      String v = schema.versionOf(t);
      if (v != null && !keep.contains(v)) {
        if (admin.isTableEnabled(t)) {
          admin.disableTable(t);
        }
        admin.deleteTable(t);
        new AttributionStore(connection, schema).delete(v);
        log.println("dropped " + t.getNameAsString());
      }
    }
  }

  private static long writeHFiles(Configuration conf, Connection connection, TableName tableName, List<Path> files,
                                  Path output, java.io.PrintStream log) throws IOException, InterruptedException {
    Configuration jobConf = new Configuration(conf);
    jobConf.setLong(LoadMapper.CELL_TIMESTAMP, 1L);
    if (jobConf.get("hbase.fs.tmp.dir") == null || jobConf.get("hbase.fs.tmp.dir").contains("${")) {
      jobConf.set("hbase.fs.tmp.dir", new Path(output.getParent(), "_partitions").toString());
    }
    LambdaConfiguration.useAllCoresWhenLocal(jobConf, 0);
    Job job = Job.getInstance(jobConf, "lambda load " + tableName.getNameAsString());
    LambdaConfiguration.setJobJar(job, LoadTool.class);
    job.setInputFormatClass(ViewRowFile.InputFormat.class);
    FileInputFormat.setInputPaths(job, files.toArray(new Path[0]));
    job.setMapperClass(LoadMapper.class);
    job.setMapOutputKeyClass(ImmutableBytesWritable.class);
    job.setMapOutputValueClass(Put.class);
    FileOutputFormat.setOutputPath(job, output);
    try (Table table = connection.getTable(tableName); RegionLocator locator = connection.getRegionLocator(tableName)) {
      HFileOutputFormat2.configureIncrementalLoad(job, table.getDescriptor(), locator);
    }
    if (!org.lambdadist.batch.JobProgress.run(job, log)) {
      throw new IOException("job " + job.getJobName() + " failed: " + job.getStatus().getFailureInfo());
    }
    return job.getCounters().findCounter(TaskCounter.MAP_INPUT_RECORDS).getValue();
  }

  /** The view rows the aggregate counted, or -1 when its coverage does not say. */
  private static long viewRows(FileSystem fs, Path dir) throws IOException {
    try (java.io.InputStream in = fs.open(new Path(dir, BatchViews.COVERAGE))) {
      com.fasterxml.jackson.databind.JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
      com.fasterxml.jackson.databind.JsonNode rows = c.path("counters").get("view_rows");
      return rows == null ? -1 : rows.asLong();
    }
  }
}
