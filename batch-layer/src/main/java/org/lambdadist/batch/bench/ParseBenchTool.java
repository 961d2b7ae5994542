package org.lambdadist.batch.bench;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.batch.master.ArrivedEventWritable;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.event.EventParser;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code bench-parse}: reads every record of the committed epochs in one thread and parses it
 * with core's parser, nothing else, and prints records per second on stdout. The baseline of
 * {@code scripts/bench-batch}: what aggregate would do per second if parsing were all it did.
 */
public final class ParseBenchTool extends LambdaTool {
  public static final String NAME = "bench-parse";

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ParseBenchTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "bench-parse [generic options]";
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = getConf();
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    List<Long> epochs = master.committedEpochs();
    if (epochs.isEmpty()) {
      throw new UserError("the master dataset " + master.dir() + " has no committed epoch; run import first");
    }
    EventParser parser = new EventParser(LambdaSettings.eventLimits(conf));
    ArrivedEventWritable record = new ArrivedEventWritable();
    long records = 0;
    long accepted = 0;
    long start = System.nanoTime();
    for (long epoch : epochs) {
      for (Path file : master.dataFiles(epoch)) {
        try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
          while (reader.next(NullWritable.get(), record)) {
            records++;
            if (parser.parse(record.rawBuffer(), 0, record.length()).isAccepted()) {
              accepted++;
            }
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("parse-only: %d records (%d accepted) in %.2f s = %.0f records/s%n",
        records, accepted, seconds, records / seconds);
    return 0;
  }
}
