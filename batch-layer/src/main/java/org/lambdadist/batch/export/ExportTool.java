package org.lambdadist.batch.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.core.attribution.AttributionModel;
import org.lambdadist.core.attribution.AttributionRow;
import org.lambdadist.batch.aggregate.ViewRowFile;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.render.ViewRow;
import org.lambdadist.core.render.ViewRowWriter;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.layout.AttributionOutputs;

/**
 * {@code export --view V --granularity G [--format jsonl|csv] [--output PATH|-]
 * [--version VERSION | --input DIR]}: the rows of one view at one granularity from a batch
 * view (the latest committed version by default), sorted by dimension values then bucket, in
 * the formats of {@link ViewRowWriter}. The view definitions come from the version's own
 * {@code views.json} snapshot, so a later change to {@code conf/views.json} cannot garble an
 * old version. Rows of one view are sorted in memory.
 */
public final class ExportTool extends LambdaTool {
  public static final String NAME = "export";

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ExportTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "export [generic options] (--view V --granularity minute|hour|day | --attribution MODEL) [--format jsonl|csv] [--output PATH|-]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("view").hasArg().argName("V").desc("the view to export").build())
        .addOption(Option.builder().longOpt("attribution").hasArg().argName("MODEL")
            .desc("export the attribution of MODEL (first_touch, last_touch, last_non_direct, linear, time_decay, position_based, markov) instead of a view").build())
        .addOption(Option.builder().longOpt("granularity").hasArg().argName("G").desc("minute, hour or day (required)").build())
        .addOption(Option.builder().longOpt("format").hasArg().argName("F").desc("jsonl (default) or csv").build())
        .addOption(Option.builder().longOpt("output").hasArg().argName("PATH").desc("a file that must not exist, or - for stdout (default)").build())
        .addOption(Option.builder().longOpt("version").hasArg().argName("VERSION").desc("a committed batch view version; default the latest").build())
        .addOption(Option.builder().longOpt("input").hasArg().argName("DIR").desc("an aggregate output directory (aggregate --output)").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    if (cmd.hasOption("attribution")) {
      return exportAttribution(cmd);
    }
    String viewName = cmd.getOptionValue("view");
    String granularityName = cmd.getOptionValue("granularity");
    if (viewName == null || granularityName == null) {
      throw UserError.usage("--view and --granularity are required");
    }
    Granularity granularity = Granularity.fromLabel(granularityName);
    if (granularity == null) {
      throw UserError.usage("unknown granularity '" + granularityName + "' (expected minute, hour or day)");
    }
    ViewRowWriter.Format format = ViewRowWriter.Format.fromName(cmd.getOptionValue("format", "jsonl"));
    if (format == null) {
      throw UserError.usage("unknown format '" + cmd.getOptionValue("format") + "' (expected jsonl or csv)");
    }
    Configuration conf = getConf();
    Path dir = BatchViews.resolve(conf, cmd.getOptionValue("version"), cmd.getOptionValue("input"));
    FileSystem fs = dir.getFileSystem(conf);
    ViewCatalog catalog = BatchViews.snapshot(fs, dir);
    ViewDefinition view = catalog.view(viewName);
    if (view == null) {
      throw new UserError("unknown view '" + viewName + "' in " + dir + " (views: " + String.join(", ", catalog.names()) + ")");
    }
    if (!view.hasGranularity(granularity)) {
      throw new UserError("view '" + viewName + "' has no " + granularity.label() + " granularity (it has "
          + String.join(", ", view.granularities().stream().map(Granularity::label).toList()) + ")");
    }
    List<ViewRow> rows = readRows(fs, dir, viewName, granularity);
    rows.sort(ViewRow.EXPORT_ORDER);

    OutputStream out = openOutput(conf, cmd.getOptionValue("output", "-"));
    OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    try (ViewRowWriter writer = ViewRowWriter.open(format, view, buffered)) {
      for (ViewRow row : rows) {
        writer.write(row);
      }
    }
    buffered.flush();
    if (out != System.out) {
      out.close();
    }
    err.printf("exported %,d rows of %s/%s from %s%n", rows.size(), viewName, granularity.label(), dir);
    return 0;
  }

  /** stdout for "-", else a new file on any Hadoop file system (never overwritten). */
  private static OutputStream openOutput(Configuration conf, String output) throws UserError, IOException {
    if (output.equals("-")) {
      return System.out;
    }
    Path p = new Path(output);
    FileSystem fs = p.getFileSystem(conf);
    if (fs.exists(p)) {
      throw new UserError("output " + p + " already exists");
    }
    return fs.create(p, false);
  }

  /** {@code --attribution MODEL}: one row per (day, channel, campaign), sorted so. */
  private int exportAttribution(CommandLine cmd) throws Exception {
    if (cmd.hasOption("view") || cmd.hasOption("granularity")) {
      throw UserError.usage("give --attribution or --view/--granularity, not both");
    }
    String model = cmd.getOptionValue("attribution");
    if (AttributionModel.fromLabel(model) == null) {
      throw UserError.usage("unknown attribution model '" + model + "' (models: "
          + String.join(", ", java.util.Arrays.stream(AttributionModel.values()).map(AttributionModel::label).toList()) + ")");
    }
    String format = cmd.getOptionValue("format", "jsonl");
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw UserError.usage("unknown format '" + format + "' (expected jsonl or csv)");
    }
    Configuration conf = getConf();
    Path versionDir = BatchViews.resolve(conf, cmd.getOptionValue("version"), cmd.getOptionValue("input"));
    Path dir = AttributionOutputs.dir(conf, LambdaSettings.root(conf), versionDir.getName());
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(new Path(dir, BatchViews.SUCCESS))) {
      throw new UserError("batch version " + versionDir.getName() + " has no attribution yet: run attribute first");
    }
    List<AttributionRow> rows = AttributionOutputs.readRows(fs, dir, model);
    rows.sort(AttributionRow.EXPORT_ORDER);
    OutputStream out = openOutput(conf, cmd.getOptionValue("output", "-"));
    java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8));
    com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();
    if (format.equals("csv")) {
      w.write(AttributionRow.CSV_HEADER + "\n");
    }
    for (AttributionRow r : rows) {
      if (format.equals("csv")) {
        w.write(r.toCsvLine());
      } else {
        java.io.StringWriter s = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = json.createGenerator(s)) {
          r.writeJson(g);
        }
        w.write(s.toString());
      }
      w.write('\n');
    }
    w.flush();
    if (out != System.out) {
      w.close();
    }
    err.printf("exported %,d %s attribution rows of %s%n", rows.size(), model, versionDir.getName());
    return 0;
  }

  /** The rows of one view and granularity, from every view file of the directory. */
  public static List<ViewRow> readRows(FileSystem fs, Path dir, String view, Granularity granularity) throws IOException {
    List<ViewRow> rows = new ArrayList<>();
    for (Path file : ViewRowFile.files(fs, dir)) {
      try (ViewRowFile.Reader reader = new ViewRowFile.Reader(fs, file)) {
        for (ViewRowFile.Row r = reader.next(); r != null; r = reader.next()) {
          if (!ViewKeyCodec.viewOf(r.key(), 0, r.key().length).equals(view)) {
            continue;
          }
          ViewKey key = ViewKeyCodec.decode(r.key());
          if (key.granularity() == granularity) {
            rows.add(new ViewRow(key, RowAggregateCodec.decode(r.value())));
          }
        }
      }
    }
    return rows;
  }
}
