package org.lambdadist.batch.cycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code cycle [--skip-archive] [--force]}: one batch cycle, archive → aggregate → attribute →
 * load → reconcile, each step the same tool as on its own, logged with its output and duration. The batch
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
  public record Step(String name, int exitCode, long millis, String output) {}

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
      List<Step> steps = new ArrayList<>();
      if (!cmd.hasOption("skip-archive") && !run(steps, new ArchiveTool(clock), conf)) {
        return failed(steps, started);
      }
      Plan plan = plan(conf, hbase, schema);
      if (plan.newestEpoch() < 0) {
        err.printf("cycle: the master dataset has no committed epoch yet; nothing to aggregate (%.1f s)%n", seconds(started));
        return 0;
      }
      if (!plan.stale() && !cmd.hasOption("force")) {
        err.printf("cycle: version %s already covers epochs %d-%d; nothing new (%.1f s)%n", plan.served().version(),
            plan.served().firstEpoch(), plan.served().lastEpoch(), seconds(started));
        return 0;
      }
      AggregateTool aggregate = new AggregateTool(clock);
      if (!run(steps, aggregate, conf)) {
        return failed(steps, started);
      }
      // Attribute and load exactly the version this cycle's aggregate wrote, never another.
      String version = aggregate.lastResult().version();
      if (plan.attribution()) {
        if (!run(steps, new AttributeTool(clock), conf, "--version", version)) {
          return failed(steps, started);
        }
      } else {
        err.println("cycle: step attribute skipped: the views define no attribution");
      }
      if (!run(steps, new LoadTool(clock), conf, "--version", version)) {
        return failed(steps, started);
      }
      reconcile(steps, conf, version, plan.served() == null ? -1 : plan.served().lastEpoch());
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
  private void reconcile(List<Step> steps, Configuration conf, String version, long previousLast) {
    try {
      if (!LambdaSettings.getBoolean(conf, LambdaKeys.RECONCILE_ENABLED)) {
        err.println("cycle: step reconcile skipped: lambda.reconcile.enabled is false");
        return;
      }
      if (!run(steps, new ReconcileTool(clock), conf, "--version", version, "--since-epoch",
          Long.toString(previousLast))) {
        err.println("cycle: WARN the reconciliation of " + version + " failed (its reason is in meta, shown by"
            + " lambda status); the cycle goes on");
      }
    } catch (Exception e) {
      // Informational only: a failure here is reported, the served version stands.
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

  private boolean run(List<Step> steps, LambdaTool tool, Configuration conf, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long t0 = clock.millis();
    int code;
    try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      tool.withErr(capture);
      code = ToolRunner.run(new Configuration(conf), tool, args);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    Step step = new Step(tool.getClass().getSimpleName().replace("Tool", "").toLowerCase(java.util.Locale.ROOT), code,
        clock.millis() - t0, text);
    steps.add(step);
    err.printf("cycle: step %s %s in %.1f s%n", step.name(), code == 0 ? "done" : "FAILED (exit " + code + ")",
        step.millis() / 1000.0);
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        err.println("  " + line);
      }
    }
    return code == 0;
  }

  private int failed(List<Step> steps, long started) {
    Step last = steps.get(steps.size() - 1);
    err.printf("cycle: failed at step %s after %.1f s; the served version is unchanged, the next cycle starts over%n",
        last.name(), seconds(started));
    return 1;
  }

  private double seconds(long since) {
    return (clock.millis() - since) / 1000.0;
  }
}
