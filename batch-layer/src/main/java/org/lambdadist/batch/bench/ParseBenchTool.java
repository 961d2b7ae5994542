package org.lambdadist.batch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
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
 * {@code bench-parse [--input FILE]}: the parse baselines of {@code scripts/bench-batch}, one
 * thread, records per second on stdout.
 * <ul>
 *   <li>With {@code --input}: reads a JSON-lines file and runs Jackson's streaming parser over
 *       every line, tokens only, nothing kept: the physical limit of any design that parses
 *       JSON, and the yardstick the batch layer's targets are stated against.
 *   <li>Without: reads every record of the committed epochs and parses it with core's parser
 *       (what aggregate would do per second if parsing were all it did).
 * </ul>
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
    return "bench-parse [generic options] [--input FILE.jsonl]";
  }

  @Override
  protected org.apache.commons.cli.Options options() {
    return new org.apache.commons.cli.Options().addOption(org.apache.commons.cli.Option.builder()
        .longOpt("input").hasArg().argName("FILE").desc("a JSON-lines file to tokenize (Jackson only) instead of the master dataset").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = getConf();
    if (cmd.hasOption("input")) {
      return tokenizeLines(new Path(cmd.getOptionValue("input")));
    }
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

  /**
   * One thread: reads the file in large chunks, cuts it at newlines and runs a Jackson streaming
   * parser over each line to its end. A line Jackson refuses counts as malformed.
   */
  private int tokenizeLines(Path file) throws IOException, UserError {
    FileSystem fs = file.getFileSystem(getConf());
    if (fs instanceof org.apache.hadoop.fs.LocalFileSystem local) {
      fs = local.getRaw(); // the yardstick reads the bytes only, no checksum files
    }
    if (!fs.exists(file)) {
      throw new UserError("input " + file + " does not exist");
    }
    JsonFactory factory = new JsonFactory();
    long lines = 0;
    long malformed = 0;
    long tokens = 0;
    long start = System.nanoTime();
    byte[] buf = new byte[1 << 23];
    int filled = 0;
    try (InputStream in = fs.open(file, 1 << 20)) {
      while (true) {
        int n = in.read(buf, filled, buf.length - filled);
        boolean eof = n < 0;
        if (!eof) {
          filled += n;
        }
        int lineStart = 0;
        for (int i = 0; i < filled; i++) {
          if (buf[i] == '\n' || (eof && i == filled - 1)) {
            int end = buf[i] == '\n' ? i : i + 1;
            if (end > lineStart) {
              lines++;
              try (JsonParser p = factory.createParser(buf, lineStart, end - lineStart)) {
                while (p.nextToken() != null) {
                  tokens++;
                }
              } catch (JsonProcessingException e) {
                malformed++;
              }
            }
            lineStart = i + 1;
          }
        }
        if (eof) {
          break;
        }
        System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
        filled -= lineStart;
        if (filled == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("parse-only: %d lines (%d malformed, %d tokens) in %.2f s = %.0f lines/s%n",
        lines, malformed, tokens, seconds, lines / seconds);
    return 0;
  }
}
