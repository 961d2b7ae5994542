package org.lambdadist.batch.generate;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.generate.ClickstreamGenerator;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code generate --events N --seed S [--output PATH]}: a seeded synthetic clickstream (see
 * {@link ClickstreamGenerator}) as JSON lines, to stdout or to a file on any Hadoop file
 * system ({@code .gz} names are gzip-compressed). The same seed gives the same lines.
 */
public final class GenerateTool extends LambdaTool {
  public static final String NAME = "generate";

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new GenerateTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "generate [generic options] --events N --seed S [--output PATH|- | --kafka BOOTSTRAP [--topic T] [--rate R]]"
        + " [--start ISO] [--days D]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("events").hasArg().argName("N").desc("lines to write (default 10000)").build())
        .addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 1)").build())
        .addOption(Option.builder().longOpt("output").hasArg().argName("PATH").desc("file to create (.gz compresses), or - for stdout (default)").build())
        .addOption(Option.builder().longOpt("start").hasArg().argName("ISO").desc("time of the first event (default 2026-11-01T00:00:00Z)").build())
        .addOption(Option.builder().longOpt("days").hasArg().argName("D").desc("days the events span (default 3)").build())
        .addOption(Option.builder().longOpt("clean").desc("no duplicates, late or malformed lines").build())
        .addOption(Option.builder().longOpt("kafka").hasArg().argName("BOOTSTRAP").desc("produce the lines to Kafka instead (host:port,...)").build())
        .addOption(Option.builder().longOpt("topic").hasArg().argName("T").desc("topic for --kafka (default lambda.kafka.topic: events)").build())
        .addOption(Option.builder().longOpt("rate").hasArg().argName("R").desc("events per second for --kafka (default 0: as fast as possible)").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    long events = longOption(cmd, "events", 10_000);
    if (events < 0) {
      throw UserError.usage("--events must be >= 0");
    }
    ClickstreamGenerator.Settings settings = ClickstreamGenerator.Settings.defaults(events, longOption(cmd, "seed", 1));
    if (cmd.hasOption("start") || cmd.hasOption("days")) {
      Instant start = settings.start();
      if (cmd.hasOption("start")) {
        try {
          start = Instant.parse(cmd.getOptionValue("start"));
        } catch (DateTimeParseException e) {
          throw UserError.usage("--start must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
      }
      long days = longOption(cmd, "days", settings.days());
      if (days < 1 || days > 3650) {
        throw UserError.usage("--days must be in 1..3650");
      }
      settings = settings.withStart(start, (int) days);
    }
    if (cmd.hasOption("clean")) {
      settings = settings.clean();
    }
    if (cmd.hasOption("kafka")) {
      if (cmd.hasOption("output")) {
        throw UserError.usage("--output and --kafka exclude each other");
      }
      long rate = longOption(cmd, "rate", 0);
      if (rate < 0) {
        throw UserError.usage("--rate must be >= 0");
      }
      String topic = cmd.getOptionValue("topic", LambdaSettings.get(getConf(), LambdaKeys.KAFKA_TOPIC));
      long sent = new KafkaLines(cmd.getOptionValue("kafka"), topic, rate, LambdaKeys.kafkaClientSettings(getConf())).send(new ClickstreamGenerator(settings));
      err.printf("produced %,d events (seed %d) to %s topic %s%n", sent, settings.seed(), cmd.getOptionValue("kafka"), topic);
      return 0;
    }
    String output = cmd.getOptionValue("output", "-");
    OutputStream out;
    if (output.equals("-")) {
      out = System.out;
    } else {
      Path p = new Path(output);
      FileSystem fs = p.getFileSystem(getConf());
      if (fs.exists(p)) {
        throw new UserError("output " + p + " already exists");
      }
      out = fs.create(p, false);
      if (output.endsWith(".gz")) {
        out = new GZIPOutputStream(out, 1 << 16);
      }
    }
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    ClickstreamGenerator generator = new ClickstreamGenerator(settings);
    while (generator.hasNext()) {
      w.write(generator.next());
      w.write('\n');
    }
    if (out == System.out) {
      w.flush();
    } else {
      w.close();
      err.printf("generated %,d lines (seed %d) into %s%n", events, settings.seed(), output);
    }
    return 0;
  }
}
