package org.lambdadist.batch.reconcile;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.util.ToolRunner;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.reconcile.MetricDifference;
import org.lambdadist.core.reconcile.ReconciliationReport;
import org.lambdadist.core.reconcile.ViewReconciliation;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.ReconciliationStore;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * {@code reconcile [--version V] [--since-epoch N] [--json]}: compares the speed layer's
 * realtime cells with a batch version's per-epoch partial rows over the epochs the version took
 * over (those after {@code N}; by default, for the served version, those after the previous
 * version's last epoch, else all its epochs) for which the speed layer had cells, and stores the
 * result in meta ({@link ReconciliationStore}) for {@code status} and the API. The batch cycle
 * runs it after each load.
 *
 * <p>Informational: differences are reported (a {@code WARN} line per view with differing
 * rows), never an error. A reconciliation that cannot be done (no partials, too many cells,
 * HBase down) is recorded with its reason and exits 1.
 */
public final class ReconcileTool extends HBaseTool {
  public static final String NAME = "reconcile";

  private final Clock clock;

  public ReconcileTool() {
    this(Clock.systemUTC());
  }

  public ReconcileTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new ReconcileTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "reconcile [generic options] [--version VERSION] [--since-epoch N] [--json]";
  }

  @Override
  protected Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("version").hasArg().argName("VERSION")
            .desc("a committed batch view version; default the served one").build())
        .addOption(Option.builder().longOpt("since-epoch").hasArg().argName("N")
            .desc("compare the version's epochs after N; default: after the previous version's last epoch when"
                + " VERSION is served, else all").build())
        .addOption(Option.builder().longOpt("json").desc("also print the stored report as JSON on stdout").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    double sigmas = LambdaSettings.getDouble(conf, LambdaKeys.RECONCILE_DISTINCT_SIGMAS);
    long maxCells = LambdaSettings.getLong(conf, LambdaKeys.RECONCILE_MAX_CELLS);
    long since = longOption(cmd, "since-epoch", Long.MIN_VALUE);
    try (Connection hbase = connect(conf)) {
      HBaseSchema schema = new HBaseSchema(conf);
      BatchPointer served = new MetaStore(hbase, schema).read();
      String version = cmd.getOptionValue("version", served == null ? null : served.version());
      if (version == null) {
        throw new UserError("no batch version is served yet and none was given (--version); nothing to reconcile");
      }
      if (since == Long.MIN_VALUE) {
        since = served != null && version.equals(served.version()) && served.previousVersion() != null
            ? served.previousLastEpoch() : -1;
      }
      long started = clock.millis();
      ReconciliationStore store = new ReconciliationStore(hbase, schema);
      ReconciliationReport report;
      try {
        Path dir = BatchViews.resolve(conf, version, null);
        report = SpeedBatchComparison.compare(conf, hbase, schema, dir, since, sigmas, maxCells, clock);
      } catch (UserError | IOException | RuntimeException e) {
        // Recorded, so that status shows why the latest version was not reconciled.
        String reason = e instanceof UserError ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        store.write(ReconciliationReport.failed(version, List.of(), Instant.ofEpochMilli(started).toString(),
            clock.millis() - started, sigmas, reason));
        err.println("reconcile: WARN version " + version + " could not be reconciled: " + reason);
        return 1;
      }
      store.write(report);
      print(report);
      if (cmd.hasOption("json")) {
        System.out.println(report.toJson());
      }
      return 0;
    }
  }

  private void print(ReconciliationReport report) {
    if (report.epochs().isEmpty()) {
      err.printf("reconcile: version %s: the speed layer has no cells in the epochs it newly covers; nothing compared%n",
          report.version());
      return;
    }
    err.printf(Locale.ROOT, "reconcile: version %s, epochs %s: %,d rows compared, %,d differ (%.1f s)%n",
        report.version(), range(report.epochs()), report.rowsCompared(), report.rowsDiffering(),
        report.millis() / 1000.0);
    for (ViewReconciliation v : report.views()) {
      String line = String.format(Locale.ROOT, "view %s: %,d of %,d rows differ (speed only %,d, batch only %,d%s)",
          v.view(), v.rowsDiffering(), v.rowsCompared(), v.speedOnlyRows(), v.batchOnlyRows(),
          v.speedOnlyEvents() == null ? ""
              : String.format(Locale.ROOT, "; events speed only %,d, batch only %,d", v.speedOnlyEvents(),
                  v.batchOnlyEvents()));
      if (v.rowsDiffering() == 0) {
        err.println("reconcile: " + line);
        continue;
      }
      StringBuilder metrics = new StringBuilder();
      for (MetricDifference m : v.metrics()) {
        if (m.rowsDiffering() > 0) {
          metrics.append(String.format(Locale.ROOT, "; %s (%s) in %,d rows, largest difference %s", m.metric(),
              m.type(), m.rowsDiffering(), number(m.largestDifference())));
        }
      }
      err.println("reconcile: WARN " + line + metrics);
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String range(List<Long> epochs) {
    return epochs.size() == 1 ? epochs.get(0).toString()
        : epochs.get(0) + "-" + epochs.get(epochs.size() - 1) + (epochs.size() == epochs.get(epochs.size() - 1)
            - epochs.get(0) + 1 ? "" : " (" + epochs.size() + " with cells)");
  }
}
