package org.lambdadist.batch.cycle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.batch.LambdaConfiguration;
import org.lambdadist.batch.LambdaTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.batch.aggregate.AggregateTool;
import org.lambdadist.batch.archive.ArchiveTool;
import org.lambdadist.batch.attribution.AttributeTool;
import org.lambdadist.batch.load.LoadTool;
import org.lambdadist.batch.reconcile.ReconcileTool;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.CycleReport;
import org.lambdadist.storage.hbase.CycleStore;
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code cycle [--skip-archive] [--force]}: one batch cycle, archive → aggregate → attribute →
 * load → reconcile, each step the same tool as on its own, logged as it goes: its start, its
 * output as it comes (its MapReduce jobs' ids, tracking URLs and progress among it) and its end
 * with its duration. The cycle's report (result, each step's duration, epochs computed and
 * reused, the version) is recorded in the meta table at its start, after each step and at its
 * end ({@link CycleStore}), for {@code lambda status} and metrics. The batch
 * lease ({@link WriterLease}, renewed while the cycle runs, its token checked at every commit
 * point of every step) keeps cycles and standalone writers from overlapping, whoever starts them. A failing
 * step ends the cycle with exit 1; the served version changes only in {@code load}'s last act
 * (the flip), so it stays as it was and the next cycle starts over. With nothing in the master
 * dataset newer than the served version (and no {@code --force}) the cycle stops after
 * {@code archive}: a new version would equal the served one. The last step, {@code reconcile}
 * (unless {@code lambda.reconcile.enabled} is false), compares the speed layer's cells of the
 * epochs the new version took over with its partials and stores the result in meta; it is
 * informational, so its differences are {@code WARN} lines and its failure a warning, never a
 * failed cycle (the new version is served by then).
 *
 * <p>A scheduler that runs the steps as separate actions (the Oozie workflow in
 * {@code oozie/}) uses the pieces: {@code --lock ID} and {@code --unlock ID} around the steps,
 * and {@code --check}, which prints whether the served version is stale (and whether the
 * views define attribution) as {@code key=value} lines, also into the file Oozie names in
 * the system property {@code oozie.action.output.properties} ({@code <capture-output/>}).
 */
public final class CycleTool extends HBaseTool {
  public static final String NAME = "cycle";

  private final Clock clock;

  public CycleTool() {
    this(Clock.systemUTC());
  }

  public CycleTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new CycleTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "cycle [generic options] [--skip-archive] [--force] | --check | --lock ID | --unlock ID";
  }

  @Override
  protected Options options() {
    OptionGroup piece = new OptionGroup()
        .addOption(Option.builder().longOpt("check")
            .desc("only print stale=true|false (is a master epoch newer than the served version?) and attribution=true|false").build())
        .addOption(Option.builder().longOpt("lock").hasArg().argName("ID")
            .desc("only take the cycle lock for ID (exit 1 when another holder keeps it)").build())
        .addOption(Option.builder().longOpt("unlock").hasArg().argName("ID")
            .desc("only release the cycle lock if ID holds it").build());
    return new Options()
        .addOptionGroup(piece)
        .addOption(Option.builder().longOpt("skip-archive").desc("no Kafka: the master dataset is fed by import only").build())
        .addOption(Option.builder().longOpt("force").desc("aggregate, attribute and load even when no epoch is new").build());
  }

  /** One step's outcome, for the log. */
  public record Step(String name, int exitCode, long millis, String output) {
    /** The step's error line ({@code lambda <tool>: error: …}), else its last line: why it failed. */
    String error() {
      List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).contains(": error: ")) {
          return lines.get(i).strip();
        }
      }
      return lines.isEmpty() ? "exit " + exitCode + " with no output" : lines.get(lines.size() - 1).strip();
    }
  }

  /** What {@code --check} finds: the newest committed epoch against the served version. */
  public record Plan(long newestEpoch, BatchPointer served, boolean attribution) {
    /** Whether a new version would cover more than the served one. */
    public boolean stale() {
      return newestEpoch >= 0 && (served == null || served.lastEpoch() < newestEpoch);
    }

    Map<String, String> properties() {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("stale", Boolean.toString(stale()));
      p.put("attribution", Boolean.toString(attribution));
      p.put("newest_epoch", Long.toString(newestEpoch));
      p.put("served_version", served == null ? "" : served.version());
      p.put("served_last_epoch", served == null ? "" : Long.toString(served.lastEpoch()));
      return p;
    }
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    try (Connection hbase = connect(conf)) {
      HBaseSchema schema = new HBaseSchema(conf);
      if (cmd.hasOption("lock")) {
        // An Oozie workflow's steps run in separate processes: nothing renews this lease, so it
        // lives lambda.cycle.lock-stale; the steps join it with lambda.internal.lease.holder.
        try {
          WriterLease.acquire(hbase, schema, WriterLease.BATCH, cmd.getOptionValue("lock"),
              LambdaSettings.getMillis(conf, LambdaKeys.CYCLE_LOCK_STALE), 0, clock);
        } catch (WriterLease.HeldException e) {
          throw new UserError(e.getMessage() + "; nothing was done", e);
        }
        err.println("cycle: batch lease taken by " + cmd.getOptionValue("lock"));
        return 0;
      }
      if (cmd.hasOption("unlock")) {
        boolean released = WriterLease.release(hbase, schema, WriterLease.BATCH, cmd.getOptionValue("unlock"));
        err.println("cycle: " + (released ? "batch lease released by " : "the batch lease was not held by ")
            + cmd.getOptionValue("unlock"));
        return 0;
      }
      if (cmd.hasOption("check")) {
        Map<String, String> p = plan(conf, hbase, schema).properties();
        for (Map.Entry<String, String> e : p.entrySet()) {
          System.out.println(e.getKey() + "=" + e.getValue());
        }
        captureForOozie(p);
        return 0;
      }
      return fullCycle(cmd, conf, hbase, schema);
    }
  }

  private int fullCycle(CommandLine cmd, Configuration conf, Connection hbase, HBaseSchema schema) throws Exception {
    long started = clock.millis();
    try (WriterLease lease = batchLease(hbase, conf, clock)) {
      conf.set(LEASE_HOLDER, lease.holder()); // every step joins this cycle's lease
      Report report = new Report(new CycleStore(hbase, schema), CycleReport.started(Instant.ofEpochMilli(started)));
      List<Step> steps = new ArrayList<>();
      if (!cmd.hasOption("skip-archive") && !run(steps, report, new ArchiveTool(clock), conf)) {
        return failed(steps, report, started);
      }
      Plan plan = plan(conf, hbase, schema);
      if (plan.newestEpoch() < 0) {
        report.succeeded("the master dataset has no committed epoch yet; nothing to aggregate");
        err.printf("cycle: the master dataset has no committed epoch yet; nothing to aggregate (%.1f s)%n", seconds(started));
        return 0;
      }
      if (!plan.stale() && !cmd.hasOption("force")) {
        String why = String.format("version %s already covers epochs %d-%d; nothing new", plan.served().version(),
            plan.served().firstEpoch(), plan.served().lastEpoch());
        report.succeeded(why);
        err.printf("cycle: %s (%.1f s)%n", why, seconds(started));
        return 0;
      }
      AggregateTool aggregate = new AggregateTool(clock);
      if (!run(steps, report, aggregate, conf)) {
        return failed(steps, report, started);
      }
      // Attribute and load exactly the version this cycle's aggregate wrote, never another.
      AggregateTool.Result aggregated = aggregate.lastResult();
      String version = aggregated.version();
      report.aggregated(aggregated.computed().size(), aggregated.reused().size(), version);
      if (plan.attribution()) {
        if (!run(steps, report, new AttributeTool(clock), conf, "--version", version)) {
          return failed(steps, report, started);
        }
      } else {
        err.println("cycle: step attribute skipped: the views define no attribution");
      }
      if (!run(steps, report, new LoadTool(clock), conf, "--version", version)) {
        return failed(steps, report, started);
      }
      reconcile(steps, report, conf, version, plan.served() == null ? -1 : plan.served().lastEpoch());
      report.succeeded(null);
      err.printf("cycle: done in %.1f s: version %s serves epochs up to %d%n", seconds(started), version,
          plan.newestEpoch());
      return 0;
    }
  }

  /**
   * Reconciles the version just loaded over the epochs after {@code previousLast} (those it
   * took over from the speed layer), unless {@code lambda.reconcile.enabled} is false. Never
   * fails the cycle: the version is served already.
   */
  private void reconcile(List<Step> steps, Report report, Configuration conf, String version, long previousLast) {
    try {
      if (!LambdaSettings.getBoolean(conf, LambdaKeys.RECONCILE_ENABLED)) {
        err.println("cycle: step reconcile skipped: lambda.reconcile.enabled is false");
        return;
      }
      if (!run(steps, report, new ReconcileTool(clock), conf, "--version", version, "--since-epoch",
          Long.toString(previousLast))) {
        err.println("cycle: WARN the reconciliation of " + version + " failed (its reason is in meta, shown by"
            + " lambda status); the cycle goes on");
      }
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      // Informational only: a failure here (even running out of memory over too many cells) is
      // reported, the served version stands.
      err.println("cycle: WARN the reconciliation of " + version + " failed: " + e + "; the cycle goes on");
    }
  }

  /** The newest committed master epoch against the served version, and whether attribution is defined. */
  private static Plan plan(Configuration conf, Connection hbase, HBaseSchema schema) throws IOException, UserError {
    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    List<Long> committed = master.committedEpochs();
    long newest = committed.isEmpty() ? -1 : committed.get(committed.size() - 1);
    BatchPointer served = new MetaStore(hbase, schema).read();
    boolean attribution = LambdaConfiguration.loadViews(new Configuration(conf)).attribution() != null;
    return new Plan(newest, served, attribution);
  }

  /**
   * Runs one step: logs its start, its output as it comes (indented: progress of its jobs
   * included) and its end with its duration, and records it in the cycle's report. A step
   * that throws (a bug, not a failure it reports) is recorded as failed before the exception
   * ends the cycle.
   */
  private boolean run(List<Step> steps, Report report, LambdaTool tool, Configuration conf, String... args)
      throws Exception {
    String name = tool.getClass().getSimpleName().replace("Tool", "").toLowerCase(Locale.ROOT);
    err.printf("cycle: step %s started%n", name);
    StepLog log = new StepLog(err, "  ");
    long t0 = clock.millis();
    int code;
    try (PrintStream capture = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      tool.withErr(capture);
      code = ToolRunner.run(new Configuration(conf), tool, args);
    } catch (Exception | Error e) {
      long millis = clock.millis() - t0;
      err.printf("cycle: step %s FAILED (%s) in %.1f s%n", name, e, millis / 1000.0);
      report.step(name, millis);
      report.failed(name, e.toString());
      throw e;
    }
    Step step = new Step(name, code, clock.millis() - t0, log.text());
    steps.add(step);
    err.printf("cycle: step %s %s in %.1f s%n", step.name(), code == 0 ? "done" : "FAILED (exit " + code + ")",
        step.millis() / 1000.0);
    report.step(step.name(), step.millis());
    return code == 0;
  }

  private int failed(List<Step> steps, Report report, long started) {
    Step last = steps.get(steps.size() - 1);
    report.failed(last.name(), last.error());
    err.printf("cycle: failed at step %s after %.1f s; the served version is unchanged, the next cycle starts over%n",
        last.name(), seconds(started));
    return 1;
  }

  /**
   * The cycle's report as it goes, recorded in meta at the start, after each step and at the
   * end. It is for operators and metrics, not a commit point: when it cannot be written the
   * cycle says so and goes on, its data unaffected.
   */
  private final class Report {
    private final CycleStore store;
    private CycleReport current;

    Report(CycleStore store, CycleReport started) {
      this.store = store;
      this.current = started;
      record();
    }

    void step(String name, long millis) {
      current = current.withStep(name, millis);
      record();
    }

    void aggregated(int computed, int reused, String version) {
      current = current.withAggregate(computed, reused, version);
      record();
    }

    void succeeded(String why) {
      current = current.succeeded(Instant.ofEpochMilli(clock.millis()), why);
      record();
    }

    void failed(String step, String why) {
      current = current.failed(Instant.ofEpochMilli(clock.millis()), step, why);
      record();
    }

    private void record() {
      try {
        store.record(current);
      } catch (IOException | RuntimeException e) {
        err.println("cycle: warning: the cycle report could not be recorded in the meta table: " + e.getMessage());
      }
    }
  }

  private double seconds(long since) {
    return (clock.millis() - since) / 1000.0;
  }
}
