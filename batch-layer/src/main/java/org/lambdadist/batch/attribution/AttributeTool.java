package org.lambdadist.batch.attribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
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
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options.Rename;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
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
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.attribution.MarkovModel;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.batch.partial.PartialSet;
import org.lambdadist.batch.partial.EpochIndexes;
import org.lambdadist.batch.partial.SkipPositions;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.layout.AttributionOutputs;

/**
 * {@code attribute [--version V]}: computes attribution for the epochs of a batch view version
 * (the latest by default), with that version's {@code attribution} definitions, into
 * {@code <root>/attribution/<version>/} ({@code _SUCCESS} last, atomic rename). Attribution
 * recomputes over every epoch (journeys span epochs) but reuses the epochs' id indexes for
 * dedup, never a pass of its own. Steps: the journey job (secondary sort on user, time,
 * event id; paths and Markov transition counts); in the driver, the Markov removal effects,
 * solved exactly from the summed counts (a small step: channels² numbers); the credit job
 * (every model, summed per model, day, channel and campaign).
 */
public final class AttributeTool extends LambdaTool {
  public static final String NAME = "attribute";

  private final Clock clock;

  public AttributeTool() {
    this(Clock.systemUTC());
  }

  public AttributeTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new AttributeTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "attribute [generic options] [--version VERSION]";
  }

  @Override
  protected Options options() {
    return new Options().addOption(Option.builder().longOpt("version").hasArg().argName("VERSION")
        .desc("the batch view version whose epochs and definitions to use; default the latest").build());
  }



  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = new Configuration(getConf());
    Path versionDir = BatchViews.resolve(conf, cmd.getOptionValue("version"), null);
    String version = versionDir.getName();
    FileSystem fs = versionDir.getFileSystem(conf);
    ViewCatalog views = BatchViews.snapshot(fs, versionDir);
    if (views.attribution() == null) {
      throw new UserError("the views of batch version " + version + " have no attribution section");
    }
    conf.set(LambdaConfiguration.VIEWS_JSON, views.json());
    List<Long> epochs = BatchViews.coveredEpochs(fs, versionDir);
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    List<Path> inputs = new ArrayList<>();
    long bytes = 0;
    for (long e : epochs) {
      for (Path f : master.dataFiles(e)) {
        inputs.add(f);
        bytes += master.fileSystem().getFileStatus(f).getLen();
      }
    }
    Path target = AttributionOutputs.dir(conf, LambdaSettings.root(conf), version);
    FileSystem outFs = target.getFileSystem(conf);
    if (outFs.exists(target)) {
      throw new UserError("batch version " + version + " is already attributed: " + target);
    }
    Path work = DataLayout.workDir(target, Long.toString(clock.millis()));
    LambdaConfiguration.useAllCoresWhenLocal(conf, bytes);
    int reducers = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_REDUCERS);
    long started = clock.millis();
    try {
      // The epochs' id indexes say which records are later copies: those of the version's
      // definitions (built by aggregate), or built now for a version computed before them.
      EventRules rules = LambdaSettings.eventRules(conf, views);
      Partials partials = PartialSet.open(conf, LambdaSettings.root(conf), views, rules.limits(), reducers);
      new EpochIndexes(conf, rules, master, partials, err).ensureThrough(epochs.get(epochs.size() - 1));

      Path paths = new Path(work, "paths");
      Job journeys = Job.getInstance(conf, "lambda attribute 1/2: journeys, " + version);
      LambdaConfiguration.setJobJar(journeys, AttributeTool.class);
      journeys.getConfiguration().set(SkipPositions.PARTIALS_DIR, partials.dir().toString());
      journeys.setInputFormatClass(SequenceFileInputFormat.class);
      FileInputFormat.setInputPaths(journeys, inputs.toArray(new Path[0]));
      journeys.setMapperClass(JourneyMapper.class);
      journeys.setMapOutputKeyClass(JourneyKey.class);
      journeys.setMapOutputValueClass(JourneyStepWritable.class);
      journeys.setPartitionerClass(JourneyKey.UserPartitioner.class);
      journeys.setGroupingComparatorClass(JourneyKey.UserGrouping.class);
      journeys.setReducerClass(JourneyReducer.class);
      journeys.setNumReduceTasks(reducers);
      journeys.setOutputKeyClass(NullWritable.class);
      journeys.setOutputValueClass(ConversionPathWritable.class);
      journeys.setOutputFormatClass(SequenceFileOutputFormat.class);
      FileOutputFormat.setOutputPath(journeys, paths);
      MultipleOutputs.addNamedOutput(journeys, JourneyReducer.CHAIN, SequenceFileOutputFormat.class, Text.class,
          LongWritable.class);
      run(journeys);

      MarkovModel markov = MarkovModel.fit(readTransitions(conf, new Path(paths, JourneyReducer.CHAIN)));
      Path out = new Path(work, "out");
      Job credits = Job.getInstance(conf, "lambda attribute 2/2: credits, " + version);
      LambdaConfiguration.setJobJar(credits, AttributeTool.class);
      credits.getConfiguration().set(CreditMapper.REMOVAL_EFFECTS,
          new ObjectMapper().writeValueAsString(markov.removalEffects()));
      credits.getConfiguration().setBoolean(FileOutputCommitter.SUCCESSFUL_JOB_OUTPUT_DIR_MARKER, false);
      credits.setInputFormatClass(SequenceFileInputFormat.class);
      FileInputFormat.setInputPaths(credits, new Path(paths, "part-r-*"));
      credits.setMapperClass(CreditMapper.class);
      credits.setMapOutputKeyClass(CreditKey.class);
      credits.setMapOutputValueClass(CreditSum.class);
      credits.setCombinerClass(CreditReducer.Combiner.class);
      credits.setReducerClass(CreditReducer.class);
      credits.setNumReduceTasks(reducers);
      credits.setOutputKeyClass(Text.class);
      credits.setOutputValueClass(NullWritable.class);
      credits.setOutputFormatClass(TextOutputFormat.class);
      FileOutputFormat.setOutputPath(credits, out);
      run(credits);

      Map<String, Object> coverage = new LinkedHashMap<>();
      coverage.put("version", version);
      coverage.put("epochs", epochs);
      coverage.put("created", Instant.ofEpochMilli(clock.millis()).toString());
      coverage.put("markov_conversion_probability", markov.conversionProbability());
      coverage.put("markov_removal_effects", markov.removalEffects());
      Map<String, Long> counters = new LinkedHashMap<>();
      for (JourneyMapper.Counters c : JourneyMapper.Counters.values()) {
        counters.put(c.name().toLowerCase(java.util.Locale.ROOT), journeys.getCounters().findCounter(c).getValue());
      }
      coverage.put("counters", counters);
      try (OutputStream s = outFs.create(new Path(out, BatchViews.COVERAGE), false)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s, coverage);
      }
      outFs.create(new Path(out, BatchViews.SUCCESS), false).close();
      FileContext.getFileContext(outFs.getUri(), conf).rename(out, target, Rename.NONE);
      err.printf("attributed %s (epochs %s): %,d touches, %,d conversions, %d channels in %.1f s: %s%n", version,
          epochs, counters.get("touches"), counters.get("conversions"), markov.removalEffects().size(),
          (clock.millis() - started) / 1000.0, target);
    } finally {
      outFs.delete(work, true);
    }
    return 0;
  }

  private void run(Job job) throws Exception {
    if (!org.lambdadist.batch.JobProgress.run(job, err)) {
      throw new IOException("job " + job.getJobName() + " failed: " + job.getStatus().getFailureInfo());
    }
  }

  /** Sums the transition counts every journey reducer wrote. */
  static MarkovModel.Transitions readTransitions(Configuration conf, Path dir) throws IOException {
    MarkovModel.Transitions t = new MarkovModel.Transitions();
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return t;
    }
    for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(f.getPath()))) {
        Text key = new Text();
        LongWritable count = new LongWritable();
        while (reader.next(key, count)) {
          String[] fromTo = JourneyReducer.parseTransitionKey(key.toString());
          t.add(fromTo[0], fromTo[1], count.get());
        }
      }
    }
    return t;
  }


}
