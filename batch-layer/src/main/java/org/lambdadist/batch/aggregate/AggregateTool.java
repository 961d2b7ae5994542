package org.lambdadist.batch.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
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
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Options.Rename;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.batch.partial.EpochIndexes;
import org.lambdadist.batch.partial.PartialSet;
import org.lambdadist.batch.partial.PartialRowsJob;
import org.lambdadist.batch.partial.VersionMerge;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.layout.DataLayout;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.layout.Partials;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code aggregate [--epochs a-b] [--output DIR] [--full]}: a new batch view version over the
 * committed epochs of the master dataset, {@code <root>/views/vYYYYMMDDTHHMMSSZ/}, visible only
 * once complete ({@code _SUCCESS}, written last, then one atomic rename). Its cost follows the
 * new data, not all history:
 * <ol>
 *   <li>every epoch has an id index ({@link EpochIndexes}; built by import and archive, or here
 *       on first use), so exact dedup across epochs never reads old JSON: of all copies of an
 *       {@code event_id} the first arrival (epoch, partition, offset) counts;</li>
 *   <li>every epoch's partial view rows are computed once, by one MapReduce pass over its JSON
 *       ({@link PartialRowsJob}), and kept under {@code partials/<fingerprint>/}; a changed views
 *       file, limit, reducer count or code version has another fingerprint, so stale partials are
 *       never used;</li>
 *   <li>the version is the merge of the partials in epoch order ({@link VersionMerge}), starting
 *       from the newest version of the same fingerprint whose epochs are a prefix of these: byte
 *       for byte what a merge of every partial from scratch gives.</li>
 * </ol>
 * {@code --full} recomputes every index and partial first. The counters of every epoch are
 * checked (no record lost or counted twice) and summed into the version's coverage; a failed run
 * leaves every existing version untouched.
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
    return "aggregate [generic options] [--epochs A-B] [--output DIR] [--full]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("epochs").hasArg().argName("A-B")
            .desc("only these committed epochs (inclusive; one number for one epoch); default all").build())
        .addOption(Option.builder().longOpt("output").hasArg().argName("DIR")
            .desc("write the batch view here instead of <lambda.root>/views/<version>; must not exist").build())
        .addOption(Option.builder().longOpt("full")
            .desc("recompute every epoch's id index and partial rows instead of reusing them").build());
  }

  private Result lastResult;

  /** What a run produced: its directory, the epochs it covers and its counters. */
  public record Result(Path output, String version, List<Long> epochs, Map<String, Long> counters,
                       List<Long> computed, List<Long> reused) {}

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Result r = aggregate(cmd.getOptionValue("epochs"), cmd.getOptionValue("output"), cmd.hasOption("full"));
    lastResult = r;
    err.println("batch view " + r.version() + " over epochs " + range(r.epochs()) + ": " + r.output());
    captureForOozie(java.util.Map.of("version", r.version(), "epochs", range(r.epochs())));
    return 0;
  }

  /** What the last run of this tool produced (the cycle loads exactly that version), or null. */
  public Result lastResult() {
    return lastResult;
  }

  public Result aggregate(String epochRange, String outputDir) throws Exception {
    return aggregate(epochRange, outputDir, false);
  }

  /** Indexes, computes the missing partials, merges and commits; see the class comment. */
  public Result aggregate(String epochRange, String outputDir, boolean full) throws Exception {
    Configuration conf = new Configuration(getConf());
    ViewCatalog views = LambdaConfiguration.loadViews(conf);
    Path root = LambdaSettings.root(conf);
    MasterDataset master = new MasterDataset(conf, root);
    List<Long> epochs = selectEpochs(master, epochRange);
    int reducers = LambdaSettings.getInt(conf, LambdaKeys.AGGREGATE_REDUCERS);
    if (reducers < 1) {
      throw UserError.usage(LambdaKeys.AGGREGATE_REDUCERS + " must be at least 1, got " + reducers);
    }
    EventRules rules = LambdaSettings.eventRules(conf, views);
    Partials partials = PartialSet.open(conf, root, views, rules.limits(), reducers);
    long started = clock.millis();
    if (full) {
      for (long e : master.committedEpochs()) {
        if (e <= epochs.get(epochs.size() - 1)) {
          partials.discard(partials.epochDir(e));
        }
      }
    }

    new EpochIndexes(conf, rules, master, partials, err).ensureThrough(epochs.get(epochs.size() - 1));
    long indexed = clock.millis();
    List<Long> computed = new ArrayList<>();
    for (long e : epochs) {
      if (!partials.hasRows(e)) {
        computed.add(e);
      }
    }
    PartialRowsJob.run(conf, master, partials, computed, reducers, err);
    long partialsDone = clock.millis();
    List<Long> reused = new ArrayList<>(epochs);
    reused.removeAll(computed);

    BatchViews batchViews = new BatchViews(conf, root);
    String version = batchViews.newVersion(Instant.ofEpochMilli(clock.millis()));
    Path target;
    if (outputDir != null) {
      target = new Path(outputDir);
      target = target.getFileSystem(conf).makeQualified(target);
      if (target.getFileSystem(conf).exists(target)) {
        throw new UserError("output " + target + " already exists; aggregate never overwrites an output");
      }
      if (!target.getFileSystem(conf).getUri().equals(partials.fileSystem().getUri())) {
        throw UserError.usage("--output must be on the file system of lambda.root (" + partials.fileSystem().getUri()
            + "): a version is merged from the partials there");
      }
    } else {
      target = batchViews.versionDir(version);
    }
    FileSystem outFs = target.getFileSystem(conf);
    Path out = DataLayout.workDir(target, Long.toString(clock.millis()));
    boolean committed = false;
    try {
      Base base = full ? null : findBase(conf, batchViews, partials.fingerprint(), epochs);
      List<Path> sources = new ArrayList<>();
      List<Long> merged = new ArrayList<>(epochs);
      if (base != null) {
        sources.add(base.dir());
        merged.removeAll(base.epochs());
      }
      for (long e : merged) {
        sources.add(partials.rowsDir(e));
      }
      outFs.mkdirs(out);
      long rows = VersionMerge.merge(outFs, sources, out, reducers);
      long mergeDone = clock.millis();

      Map<String, Long> counters = new LinkedHashMap<>();
      Path quarantine = new Path(out, BatchViews.QUARANTINE_DIR);
      outFs.mkdirs(quarantine);
      for (long e : epochs) {
        for (Map.Entry<String, Long> c : PartialRowsJob.counters(partials, e).entrySet()) {
          counters.merge(c.getKey(), c.getValue(), Long::sum);
        }
        copyQuarantine(conf, partials, e, outFs, quarantine);
      }
      counters.put("duplicates", counters.get("duplicates_skipped"));
      counters.put("view_rows", rows);
      counters.put("index_millis", indexed - started);
      counters.put("partials_millis", partialsDone - indexed);
      counters.put("merge_millis", mergeDone - partialsDone);
      if (rows == 0 && counters.get("events_aggregated") > 0) {
        throw new IOException("counter check failed: " + counters.get("events_aggregated")
            + " events aggregated but no view row written (do the views' filters match nothing?)");
      }
      try (OutputStream s = outFs.create(new Path(out, BatchViews.VIEWS_SNAPSHOT), false)) {
        s.write(views.json().getBytes(StandardCharsets.UTF_8));
      }
      Map<String, Object> coverage = new LinkedHashMap<>();
      coverage.put("version", target.getName());
      coverage.put("epochs", epochs);
      coverage.put("created", Instant.ofEpochMilli(clock.millis()).toString());
      coverage.put("fingerprint", partials.fingerprint());
      coverage.put("partials", partials.dir().toString());
      coverage.put("epochs_computed", computed);
      coverage.put("epochs_reused", reused);
      coverage.put("merged_from", base == null ? null : base.dir().getName());
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
      err.printf("aggregate: partials computed for %d epoch(s) %s, reused for %d %s; version merged from %s%n",
          computed.size(), range(computed), reused.size(), range(reused),
          base == null ? epochs.size() + " epoch partial(s)"
              : "version " + base.dir().getName() + " + " + merged.size() + " epoch partial(s)");
      double seconds = (clock.millis() - started) / 1000.0;
      err.printf("aggregate: %d records in %.2f s = %.0f records/s%n", counters.get("records_read"), seconds,
          counters.get("records_read") / Math.max(seconds, 0.001));
      return new Result(target, target.getName(), epochs, counters, computed, reused);
    } finally {
      outFs.delete(out, true);
      if (!committed) {
        err.println("aggregate: nothing was committed; existing batch views are unchanged");
      }
    }
  }

  /** A committed version to start the merge from. */
  record Base(Path dir, List<Long> epochs) {}

  /**
   * The newest committed version with the same fingerprint whose epochs are a proper prefix of
   * {@code epochs} (or all of them), or null. Its rows are the fold of those epochs' partials.
   */
  static Base findBase(Configuration conf, BatchViews views, String fingerprint, List<Long> epochs) throws IOException {
    FileSystem fs = views.fileSystem();
    Base best = null;
    for (String v : views.committedVersions()) {
      Path dir = views.versionDir(v);
      JsonNode coverage;
      try (InputStream in = fs.open(new Path(dir, BatchViews.COVERAGE))) {
        coverage = new ObjectMapper().readTree(in);
      } catch (java.io.FileNotFoundException e) {
        continue;
      }
      if (!fingerprint.equals(coverage.path("fingerprint").asText(null))) {
        continue;
      }
      List<Long> covered = new ArrayList<>();
      coverage.path("epochs").forEach(n -> covered.add(n.asLong()));
      if (covered.isEmpty() || covered.size() > epochs.size() || !epochs.subList(0, covered.size()).equals(covered)) {
        continue;
      }
      if (best == null || covered.size() >= best.epochs().size()) {
        best = new Base(dir, covered);
      }
    }
    return best;
  }

  private static void copyQuarantine(Configuration conf, Partials partials, long epoch, FileSystem outFs, Path to)
      throws IOException {
    FileSystem fs = partials.fileSystem();
    Path from = new Path(partials.rowsDir(epoch), Partials.QUARANTINE_DIR);
    if (!fs.exists(from)) {
      return;
    }
    for (FileStatus f : fs.listStatus(from, p -> p.getName().startsWith("part"))) {
      if (f.getLen() > 0) {
        // part-m-00003 of epoch 7 becomes part-epoch7-m-00003: still a part file, never a clash.
        String name = "part-epoch" + epoch + "-" + f.getPath().getName().substring("part-".length());
        FileUtil.copy(fs, f.getPath(), outFs, new Path(to, name), false, conf);
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
