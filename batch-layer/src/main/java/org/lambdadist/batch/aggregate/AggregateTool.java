package org.lambdadist.batch.aggregate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options.Rename;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Counter;
import org.apache.hadoop.mapreduce.CounterGroup;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.batch.master.ArrivalPositionWritable;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.batch.dedup.DuplicateCounters;
import org.lambdadist.batch.dedup.DuplicatesJob;

/**
 * {@code aggregate [--epochs a-b] [--output DIR]}: recomputes every view at every granularity
 * over the committed epochs of the master dataset into a new batch view version,
 * {@code <root>/views/vYYYYMMDDTHHMMSSZ/}, visible only once complete ({@code _SUCCESS}, written
 * last, then one atomic rename). Job 1 ({@link DuplicateIdMapper}, {@link DuplicateIdReducer})
 * shuffles only (event id, arrival position) pairs to find the later copies of each event;
 * job 2 ({@link ViewAggregateMapper}, {@link RowMergeReducer} as combiner and reducer) parses,
 * quarantines, skips those copies, aggregates in the mapper and merges the partial rows into
 * sorted {@link ViewRowFile}s. Exact dedup: of all copies of an {@code event_id} the first
 * arrival (epoch, partition, offset) counts. The counters are printed and checked; a failed
 * run leaves every existing version untouched.
 * The same input and settings give byte-identical view files.
 */
public final class AggregateTool extends LambdaTool {
  public static final String NAME = "aggregate";

  private final Clock clock;

  public AggregateTool() {
    this(Clock.systemUTC());
  }

  public AggregateTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new AggregateTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "aggregate [generic options] [--epochs A-B] [--output DIR]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("epochs").hasArg().argName("A-B")
            .desc("only these committed epochs (inclusive; one number for one epoch); default all").build())
        .addOption(Option.builder().longOpt("output").hasArg().argName("DIR")
            .desc("write the batch view here instead of <lambda.root>/views/<version>; must not exist").build());
  }

  private Result lastResult;

  /** What a run produced: its directory, the epochs it covers and its counters. */
  public record Result(Path output, String version, List<Long> epochs, Map<String, Long> counters) {}

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Result r = aggregate(cmd.getOptionValue("epochs"), cmd.getOptionValue("output"));
    lastResult = r;
    err.println("batch view " + r.version() + " over epochs " + range(r.epochs()) + ": " + r.output());
    captureForOozie(java.util.Map.of("version", r.version(), "epochs", range(r.epochs())));
    return 0;
  }

  /** What the last run of this tool produced (the cycle loads exactly that version), or null. */
  public Result lastResult() {
    return lastResult;
  }

  /** Runs both jobs and commits the output; see the class comment. */
  public Result aggregate(String epochRange, String outputDir) throws Exception {
    Configuration conf = new Configuration(getConf());
    ViewCatalog views = LambdaConfiguration.loadViews(conf);
    Path root = LambdaSettings.root(conf);
    MasterDataset master = new MasterDataset(conf, root);
    List<Long> epochs = selectEpochs(master, epochRange);

    List<Path> inputs = new ArrayList<>();
    long inputBytes = 0;
    FileSystem masterFs = master.fileSystem();
    for (long e : epochs) {
      for (Path f : master.dataFiles(e)) {
        inputs.add(f);
        inputBytes += masterFs.getFileStatus(f).getLen();
      }
    }
    if (inputs.isEmpty()) {
      throw new UserError("epochs " + range(epochs) + " hold no data files");
    }

    BatchViews batchViews = new BatchViews(conf, root);
    String version = batchViews.newVersion(Instant.ofEpochMilli(clock.millis()));
    Path target;
    if (outputDir != null) {
      target = new Path(outputDir);
      target = target.getFileSystem(conf).makeQualified(target);
      if (target.getFileSystem(conf).exists(target)) {
        throw new UserError("output " + target + " already exists; aggregate never overwrites an output");
      }
    } else {
      target = batchViews.versionDir(version);
    }
    FileSystem outFs = target.getFileSystem(conf);
    Path work = DataLayout.workDir(target, Long.toString(clock.millis()));
    Path duplicates = new Path(work, "duplicates");
    Path out = new Path(work, "out");

    LambdaConfiguration.useAllCoresWhenLocal(conf, inputBytes);
    int reducers = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_REDUCERS);
    boolean committed = false;
    try {
      long started = clock.millis();
      Job findDuplicates = DuplicatesJob.create(conf, inputs, duplicates, reducers,
          "lambda aggregate 1/2: find duplicate event ids, epochs " + range(epochs));
      if (!findDuplicates.waitForCompletion(false)) {
        throw new IOException("job " + findDuplicates.getJobName() + " failed: " + findDuplicates.getStatus().getFailureInfo());
      }
      long duplicatesDone = clock.millis();

      Job aggregate = createAggregateJob(conf, inputs, duplicates, out, reducers, range(epochs));
      if (!aggregate.waitForCompletion(false)) {
        throw new IOException("job " + aggregate.getJobName() + " failed: " + aggregate.getStatus().getFailureInfo());
      }
      Map<String, Long> counters = checkedCounters(findDuplicates.getCounters(), aggregate.getCounters());
      counters.put("job1_millis", duplicatesDone - started);
      counters.put("job2_millis", clock.millis() - duplicatesDone);

      outFs.mkdirs(new Path(out, BatchViews.QUARANTINE_DIR));
      // Kept with the version: attribute over the same epochs skips the same copies.
      outFs.rename(duplicates, new Path(out, BatchViews.DUPLICATES_DIR));
      try (OutputStream s = outFs.create(new Path(out, BatchViews.VIEWS_SNAPSHOT), false)) {
        s.write(views.json().getBytes(StandardCharsets.UTF_8));
      }
      Map<String, Object> coverage = new LinkedHashMap<>();
      coverage.put("version", target.getName());
      coverage.put("epochs", epochs);
      coverage.put("created", Instant.ofEpochMilli(clock.millis()).toString());
      coverage.put("counters", counters);
      try (OutputStream s = outFs.create(new Path(out, BatchViews.COVERAGE), false)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s, coverage);
      }
      outFs.create(new Path(out, BatchViews.SUCCESS), false).close();
      try {
        FileContext.getFileContext(outFs.getUri(), conf).rename(out, target, Rename.NONE);
      } catch (FileAlreadyExistsException e) {
        throw new UserError("output " + target + " was created by another run meanwhile; nothing was committed", e);
      }
      committed = true;
      printCounters(target.getName(), epochs, counters);
      double seconds = (clock.millis() - started) / 1000.0;
      err.printf("aggregate: %d records in %.2f s = %.0f records/s%n", counters.get("records_read"), seconds,
          counters.get("records_read") / Math.max(seconds, 0.001));
      return new Result(target, target.getName(), epochs, counters);
    } finally {
      outFs.delete(work, true);
      if (!committed) {
        err.println("aggregate: nothing was committed; existing batch views are unchanged");
      }
    }
  }

  static List<Long> selectEpochs(MasterDataset master, String spec) throws UserError, IOException {
    List<Long> committed = master.committedEpochs();
    if (committed.isEmpty()) {
      throw new UserError("the master dataset " + master.dir() + " has no committed epoch; run import first");
    }
    if (spec == null) {
      return committed;
    }
    long from;
    long to;
    try {
      int dash = spec.indexOf('-');
      from = Long.parseLong(dash < 0 ? spec.trim() : spec.substring(0, dash).trim());
      to = dash < 0 ? from : Long.parseLong(spec.substring(dash + 1).trim());
    } catch (NumberFormatException e) {
      throw UserError.usage("--epochs must be A-B or A, got '" + spec + "'");
    }
    if (from > to || from < 0) {
      throw UserError.usage("--epochs " + spec + " is an empty range");
    }
    List<Long> selected = new ArrayList<>();
    List<Long> missing = new ArrayList<>();
    for (long e = from; e <= to; e++) {
      if (committed.contains(e)) {
        selected.add(e);
      } else {
        missing.add(e);
      }
      if (missing.size() > 10) {
        break;
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError("epochs " + missing + " are not committed in " + master.dir() + " (committed: " + range(committed) + ")");
    }
    return selected;
  }

  /** The duplicate-finding job over {@code inputs}, writing later copies' positions to {@code output}. */
  private static Job createAggregateJob(Configuration conf, List<Path> inputs, Path duplicates, Path output,
                                        int reducers, String epochs) throws IOException {
    Job job = Job.getInstance(conf, "lambda aggregate 2/2: aggregate views, epochs " + epochs);
    job.setJarByClass(AggregateTool.class);
    job.getConfiguration().set(DuplicatesJob.DUPLICATES_DIR, duplicates.toString());
    job.getConfiguration().setBoolean(FileOutputCommitter.SUCCESSFUL_JOB_OUTPUT_DIR_MARKER, false);
    job.setInputFormatClass(SequenceFileInputFormat.class);
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    job.setMapperClass(ViewAggregateMapper.class);
    job.setMapOutputKeyClass(BytesWritable.class);
    job.setMapOutputValueClass(BytesWritable.class);
    job.setCombinerClass(RowMergeCombiner.class);
    job.setReducerClass(RowMergeReducer.class);
    job.setNumReduceTasks(reducers);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    job.setOutputFormatClass(ViewRowFile.OutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);
    MultipleOutputs.addNamedOutput(job, ViewAggregateMapper.QUARANTINE, TextOutputFormat.class, NullWritable.class, Text.class);
    return job;
  }

  /**
   * The counters of both jobs by name, after checking that no record was lost or counted
   * twice: read = accepted + rejected (= the sum by reason), accepted = aggregated + skipped,
   * skipped = the duplicates job 1 found.
   */
  static Map<String, Long> checkedCounters(Counters findDuplicates, Counters aggregate) throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (AggregateCounters k : AggregateCounters.values()) {
      if (k == AggregateCounters.DUPLICATES_SKIPPED) {
        m.put("duplicates", findDuplicates.findCounter(DuplicateCounters.DUPLICATES).getValue());
      }
      m.put(k.name().toLowerCase(java.util.Locale.ROOT), aggregate.findCounter(k).getValue());
    }
    long reasons = 0;
    CounterGroup group = aggregate.getGroup(AggregateCounters.REJECTED_GROUP);
    for (RejectReason r : RejectReason.values()) {
      long n = group.findCounter(r.name()).getValue();
      m.put("rejected_" + r.name(), n);
      reasons += n;
    }
    for (Counter other : group) {
      if (!m.containsKey("rejected_" + other.getName())) {
        throw new IOException("unknown reject reason counter " + other.getName());
      }
    }
    long read = m.get("records_read");
    long accepted = m.get("events_accepted");
    long rejected = m.get("events_rejected");
    long found = m.get("duplicates");
    long skipped = m.get("duplicates_skipped");
    long aggregated = m.get("events_aggregated");
    if (read != accepted + rejected || accepted != aggregated + skipped || reasons != rejected || found != skipped) {
      throw new IOException("counter check failed (records lost or counted twice): read " + read + ", accepted "
          + accepted + ", rejected " + rejected + " (by reason " + reasons + "), aggregated " + aggregated
          + ", duplicates found " + found + ", skipped " + skipped);
    }
    if (m.get("view_rows") == 0 && aggregated > 0) {
      throw new IOException("counter check failed: " + aggregated
          + " events aggregated but no view row written (do the views' filters match nothing?)");
    }
    return m;
  }

  private void printCounters(String version, List<Long> epochs, Map<String, Long> counters) {
    err.printf("aggregate %s over epochs %s%n", version, range(epochs));
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      if (!e.getKey().startsWith("rejected_") || e.getValue() > 0) {
        err.printf("  %-28s %,14d%n", e.getKey().replace('_', ' '), e.getValue());
      }
    }
  }

  static String range(List<Long> epochs) {
    if (epochs.isEmpty()) {
      return "none";
    }
    long first = epochs.get(0);
    long last = epochs.get(epochs.size() - 1);
    return first == last ? Long.toString(first) : first + "-" + last;
  }
}
