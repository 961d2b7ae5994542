package org.lambdadist.batch.partial;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.settings.LambdaSettings;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.LazyOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.MultipleOutputs;
import org.apache.hadoop.mapreduce.lib.output.TextOutputFormat;
import org.lambdadist.batch.JobProgress;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;

/**
 * Computes the partial view rows of epochs that have none yet, in one MapReduce job over their
 * master files ({@link PartialRowsMapper}, {@link PartialRowsReducer}),
 * then commits each epoch's rows on its own: {@code rows/part-r-*} (view row files in key order,
 * partitioned by view key), {@code rows/quarantine/}, {@code rows/_counters.json} (checked), and
 * {@code _SUCCESS}, renamed into {@code partials/<fingerprint>/epoch=N/rows} at once. Needs every
 * epoch's index ({@link EpochIndexes}) first.
 */
public final class PartialRowsJob {
  public static final String ROWS = "rows";
  public static final String QUARANTINE = "quarantine";
  public static final String COUNTS = "counts";

  private PartialRowsJob() {}

  /** {@code lambda.aggregate.split-bytes}, checked. */
  public static long splitBytes(Configuration conf) {
    long split = LambdaSettings.getLong(conf, LambdaKeys.AGGREGATE_SPLIT_BYTES);
    if (split < 1 << 16) {
      throw new IllegalArgumentException(LambdaKeys.AGGREGATE_SPLIT_BYTES + " must be at least 65536, not " + split);
    }
    return split;
  }

  /**
   * Runs the job over {@code epochs} (its id, tracking URL and progress on {@code progress}) and
   * commits their rows; returns each epoch's checked counters.
   */
  public static Map<Long, Map<String, Long>> run(Configuration base, MasterDataset master, Partials partials,
                                                 List<Long> epochs, int reducers, java.io.PrintStream progress)
      throws IOException, InterruptedException {
    Configuration conf = new Configuration(base);
    List<Path> inputs = new ArrayList<>();
    FileSystem fs = partials.fileSystem();
    for (long e : epochs) {
      for (FileStatus f : eventsFiles(fs, master, e, partials.indexDir(e))) {
        inputs.add(f.getPath());
      }
    }
    Path work = new Path(partials.tmpDir(), "rows." + UUID.randomUUID());
    try {
      Map<Long, Map<String, Long>> counters = new TreeMap<>();
      if (!inputs.isEmpty()) {
        LambdaConfiguration.useAllCoresWhenLocal(conf, 0); // splits: the fixed size below
        Job job = create(conf, inputs, partials, work, reducers, epochs);
        // A fixed split, whatever else the job reads: the tasks (and their quarantine files) of
        // an epoch do not depend on it. Its rows never do: states write grouping-free bytes.
        long split = splitBytes(conf);
        FileInputFormat.setMinInputSplitSize(job, split);
        FileInputFormat.setMaxInputSplitSize(job, split);
        if (!JobProgress.run(job, progress)) {
          throw new IOException("job " + job.getJobName() + " failed: " + job.getStatus().getFailureInfo());
        }
      }
      EpochCounts counts = readCounts(fs, new Path(work, COUNTS));
      for (long e : epochs) {
        counters.put(e, checkAndCommit(conf, partials, work, e, counts.byEpoch().getOrDefault(e, Map.of()),
            "the partial rows job"));
      }
      return counters;
    } finally {
      fs.delete(work, true);
    }
  }

  /**
   * The projected events an index of {@code epoch} kept in {@code dir} (committed or being
   * written), one file per master file, in name order; fails when they do not match the master.
   */
  static FileStatus[] eventsFiles(FileSystem fs, MasterDataset master, long epoch, Path dir) throws IOException {
    FileStatus[] events = fs.globStatus(new Path(dir, Partials.EVENTS_PREFIX + "*" + Partials.EVENTS_SUFFIX));
    int masterFiles = master.dataFiles(epoch).size();
    if (events == null || events.length != masterFiles) {
      throw new IOException("the index of epoch " + epoch + " in " + dir + " holds " + (events == null ? 0 : events.length)
          + " event file(s) for " + masterFiles + " master file(s); rebuild it with aggregate --full");
    }
    java.util.Arrays.sort(events);
    return events;
  }

  private static Job create(Configuration conf, List<Path> inputs, Partials partials, Path output, int reducers,
                            List<Long> epochs) throws IOException {
    Job job = Job.getInstance(conf, "lambda aggregate: partial rows of epochs " + describe(epochs));
    LambdaConfiguration.setJobJar(job, PartialRowsJob.class);
    job.getConfiguration().set(SkipPositions.PARTIALS_DIR, partials.dir().toString());
    job.getConfiguration().setBoolean(FileOutputCommitter.SUCCESSFUL_JOB_OUTPUT_DIR_MARKER, false);
    job.setInputFormatClass(SequenceFileInputFormat.class); // one chunk of events per value
    FileInputFormat.setInputPaths(job, inputs.toArray(new Path[0]));
    job.setMapperClass(PartialRowsMapper.class);
    job.setMapOutputKeyClass(BytesWritable.class);
    job.setMapOutputValueClass(BytesWritable.class);
    // No combiner: it would only fold what the reducer folds anyway (every row state writes the
    // same bytes whatever the grouping); the reducer folds in byte order.
    job.setPartitionerClass(EpochRowKey.ByViewKey.class);
    job.setReducerClass(PartialRowsReducer.class);
    job.setNumReduceTasks(reducers);
    job.setOutputKeyClass(BytesWritable.class);
    job.setOutputValueClass(BytesWritable.class);
    LazyOutputFormat.setOutputFormatClass(job, ViewRowFile.OutputFormat.class);
    FileOutputFormat.setOutputPath(job, output);
    MultipleOutputs.addNamedOutput(job, ROWS, ViewRowFile.OutputFormat.class, BytesWritable.class, BytesWritable.class);
    MultipleOutputs.addNamedOutput(job, QUARANTINE, TextOutputFormat.class, NullWritable.class, Text.class);
    MultipleOutputs.addNamedOutput(job, COUNTS, TextOutputFormat.class, NullWritable.class, Text.class);
    return job;
  }

  private static EpochCounts readCounts(FileSystem fs, Path dir) throws IOException {
    EpochCounts counts = new EpochCounts();
    if (!fs.exists(dir)) {
      return counts;
    }
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part"))) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isEmpty()) {
            counts.addLine(line);
          }
        }
      }
    }
    return counts;
  }

  /**
   * Checks one epoch's counters (no record lost or counted twice, every later copy its index
   * lists skipped, as many records read as its index read) and commits its rows from
   * {@code work/epoch=N/} (view row files {@code part-r-*}, {@code quarantine/}); returns the
   * checked counters. {@code computedBy} names what computed them, for the error.
   */
  static Map<String, Long> checkAndCommit(Configuration conf, Partials partials, Path work, long epoch,
                                          Map<String, Long> raw, String computedBy) throws IOException {
    long skips = new SkipPositions(conf, partials).epoch(epoch).size();
    Map<String, Long> checked = EpochCounts.checked(epoch, raw, skips);
    long indexed = EpochIndexes.recordsIndexed(partials, epoch);
    if (checked.getOrDefault("records_read", 0L) != indexed) {
      throw new IOException("epoch " + epoch + ": " + computedBy + " read " + checked.getOrDefault("records_read", 0L)
          + " records where the epoch's index read " + indexed + "; nothing was committed");
    }
    commit(conf, partials, work, epoch, checked);
    return checked;
  }

  /** Moves one epoch's output into place with its counters; another run's identical commit wins. */
  private static void commit(Configuration conf, Partials partials, Path work, long epoch, Map<String, Long> counters)
      throws IOException {
    FileSystem fs = partials.fileSystem();
    Path out = new Path(work, DataLayout.epochDirectoryName(epoch));
    fs.mkdirs(new Path(out, QUARANTINE));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("epoch", epoch);
    doc.put("counters", counters);
    try (OutputStream s = fs.create(new Path(out, Partials.COUNTERS), false)) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s, doc);
    }
    fs.create(new Path(out, Partials.SUCCESS), false).close();
    fs.mkdirs(partials.epochDir(epoch));
    partials.commit(conf, out, partials.rowsDir(epoch));
  }

  /** The committed counters of an epoch's rows. */
  public static Map<String, Long> counters(Partials partials, long epoch) throws IOException {
    try (java.io.InputStream in = partials.fileSystem().open(new Path(partials.rowsDir(epoch), Partials.COUNTERS))) {
      Map<String, Long> m = new LinkedHashMap<>();
      new ObjectMapper().readTree(in).path("counters").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
      return m;
    }
  }

  static String describe(List<Long> epochs) {
    if (epochs.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < epochs.size()) {
      int j = i;
      while (j + 1 < epochs.size() && epochs.get(j + 1) == epochs.get(j) + 1) {
        j++;
      }
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(epochs.get(i));
      if (j > i) {
        b.append('-').append(epochs.get(j));
      }
      i = j + 1;
    }
    return b.toString();
  }
}
