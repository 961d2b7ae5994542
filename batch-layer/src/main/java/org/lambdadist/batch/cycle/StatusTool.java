package org.lambdadist.batch.cycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Properties;
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
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.util.ToolRunner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.lambdadist.batch.HBaseTool;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.layout.BatchViews;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.CycleReport;
import org.lambdadist.storage.hbase.CycleStore;
import org.lambdadist.storage.hbase.WriterLease;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.ReconciliationStore;
import org.lambdadist.core.reconcile.ReconciliationReport;
import org.lambdadist.core.reconcile.ViewReconciliation;
import org.lambdadist.storage.settings.LambdaSettings;
import org.lambdadist.storage.kafka.KafkaLog;

/**
 * {@code status [--json]}: where the whole loop stands, read from its sources rather than from
 * a running service: the served and previous batch versions (HBase meta), the newest batch
 * view on disk and the committed master epochs, the arrival epochs (closed, open, which wait
 * for the archiver), the speed layer's progress and its lag behind Kafka's end offsets, the
 * last batch cycle's report (result, duration of each step, epochs computed and reused, the
 * version; see {@link CycleStore}), the writers' leases and the latest reconciliation of the
 * speed layer with the batch. Each source is asked with short timeouts; one that does not
 * answer is reported as such and the rest still shown. Exit 0 when HBase answered, 1 when it did not.
 */
public final class StatusTool extends HBaseTool {
  public static final String NAME = "status";

  private final Clock clock;

  public StatusTool() {
    this(Clock.systemUTC());
  }

  public StatusTool(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    System.exit(ToolRunner.run(LambdaSettings.create(), new StatusTool(), args));
  }

  @Override
  protected String name() {
    return NAME;
  }

  @Override
  protected String usage() {
    return "status [generic options] [--json]";
  }

  @Override
  protected Options options() {
    return new Options().addOption(Option.builder().longOpt("json").desc("print one JSON object instead of text").build());
  }

  @Override
  protected int execute(CommandLine cmd) throws Exception {
    noArguments(cmd);
    Configuration conf = hbaseConf();
    // A status answers in seconds, whatever is down.
    conf.setInt("hbase.client.retries.number", 1);
    conf.setInt("hbase.client.operation.timeout", 5000);
    conf.setInt("hbase.client.meta.operation.timeout", 5000);
    conf.setInt("hbase.rpc.timeout", 3000);
    conf.setInt("zookeeper.recovery.retry", 0);
    conf.setInt("zookeeper.session.timeout", 5000);
    long now = clock.millis();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("at", Instant.ofEpochMilli(now).toString());
    status.put("root", LambdaSettings.root(conf).toString());

    MasterDataset master = new MasterDataset(conf, LambdaSettings.root(conf));
    List<Long> committed = master.committedEpochs();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("committed_epochs", committed.size());
    m.put("first_epoch", committed.isEmpty() ? null : committed.get(0));
    m.put("newest_epoch", committed.isEmpty() ? null : committed.get(committed.size() - 1));
    status.put("master", m);
    BatchViews views = new BatchViews(conf, LambdaSettings.root(conf));
    List<String> versions = views.committedVersions();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("versions_on_disk", versions.size());
    v.put("newest", versions.isEmpty() ? null : versions.get(versions.size() - 1));
    status.put("batch_views", v);

    boolean hbaseUp = true;
    EpochChain chain = null;
    EpochStore.SpeedProgress progress = null;
    Map<String, Object> h = new LinkedHashMap<>();
    try (Connection hbase = connect(conf)) {
      HBaseSchema schema = new HBaseSchema(conf);
      BatchPointer pointer = new MetaStore(hbase, schema).read();
      EpochStore epochs = new EpochStore(hbase, schema);
      chain = epochs.readChain();
      progress = epochs.readProgress();
      Map<String, Object> leases = new LinkedHashMap<>();
      for (String name : new String[] {WriterLease.BATCH, WriterLease.SPEED}) {
        WriterLease.State l = WriterLease.read(hbase, schema, name);
        Map<String, Object> one = new LinkedHashMap<>();
        boolean held = l != null && l.holder() != null && l.expiresAtMillis() > now;
        one.put("holder", held ? l.holder() : null);
        one.put("token", l == null ? 0 : l.token());
        one.put("expires_at", held ? java.time.Instant.ofEpochMilli(l.expiresAtMillis()).toString() : null);
        leases.put(name, one);
      }
      h.put("state", "up");
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("version", pointer == null ? null : pointer.version());
      b.put("first_epoch", pointer == null ? null : pointer.firstEpoch());
      b.put("last_epoch", pointer == null ? null : pointer.lastEpoch());
      b.put("loaded_at", pointer == null ? null : pointer.loadedAt());
      b.put("previous_version", pointer == null ? null : pointer.previousVersion());
      status.put("served", b);
      status.put("last_cycle", lastCycle(new CycleStore(hbase, schema)));
      status.put("leases", leases);
      status.put("reconciliation", reconciliation(new ReconciliationStore(hbase, schema)));
    } catch (IOException | UserError | RuntimeException e) {
      hbaseUp = false;
      h.put("state", "unreachable: " + e.getMessage().lines().findFirst().orElse(e.toString()));
    }
    h.put("zookeeper", conf.get("hbase.zookeeper.quorum") + ":" + conf.get("hbase.zookeeper.property.clientPort"));
    status.put("hbase", h);

    Map<String, Object> k = new LinkedHashMap<>();
    String bootstrap = LambdaSettings.get(conf, LambdaKeys.KAFKA_BOOTSTRAP);
    String topic = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
    k.put("bootstrap", bootstrap);
    k.put("topic", topic);
    PartitionOffsets end = null;
    Properties quick = new Properties();
    quick.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    quick.setProperty(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
    try (KafkaConsumer<byte[], byte[]> kafka = KafkaLog.consumer(conf, quick)) {
      end = KafkaLog.endOffsets(kafka, topic);
      k.put("end_offsets", end.toString());
      k.put("events", end.distanceFrom(PartitionOffsets.empty()));
    } catch (UserError | RuntimeException e) {
      k.put("state", "unreachable: " + e.getMessage());
    }
    status.put("kafka", k);

    if (chain != null) {
      Map<String, Object> ep = new LinkedHashMap<>();
      ep.put("first", chain.first());
      ep.put("last_closed", chain.lastClosed());
      ep.put("open", chain.openEpoch());
      ep.put("open_since", Instant.ofEpochMilli(chain.openSinceMillis()).toString());
      List<Long> waiting = new ArrayList<>();
      for (long e = chain.first(); e <= chain.lastClosed(); e++) {
        if (!committed.contains(e)) {
          waiting.add(e);
        }
      }
      ep.put("closed_not_archived", waiting);
      status.put("epochs", ep);
    }
    if (progress != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      MicroBatchLedger.Batch done = progress.ledger().committed();
      s.put("micro_batches", done == null ? 0 : done.sequence());
      s.put("committed_offsets", done == null ? null : done.until().toString());
      s.put("last_progress", progress.committedAtMillis() < 0 ? null : Instant.ofEpochMilli(progress.committedAtMillis()).toString());
      s.put("seconds_since_progress", progress.committedAtMillis() < 0 ? null : Math.max(0, now - progress.committedAtMillis()) / 1000);
      s.put("lag_events", done == null || end == null ? null : end.distanceFrom(done.until()));
      s.put("accepted", progress.accepted());
      s.put("rejected", progress.rejected());
      s.put("duplicates", progress.duplicates());
      status.put("speed", s);
    }

    if (cmd.hasOption("json")) {
      System.out.println(new ObjectMapper().writeValueAsString(status));
    } else {
      printText(status);
    }
    return hbaseUp ? 0 : 1;
  }

  /** The last cycle's report as shown, null when no cycle ever ran; a row that cannot be read says so. */
  private Map<String, Object> lastCycle(CycleStore store) {
    Map<String, Object> c = new LinkedHashMap<>();
    java.util.Optional<CycleReport> last;
    try {
      last = store.lastCycle();
    } catch (IOException e) {
      c.put("state", "unreadable: " + e.getMessage());
      return c;
    }
    if (last.isEmpty()) {
      return null;
    }
    CycleReport r = last.get();
    c.put("result", r.result().label());
    c.put("started_at", r.startedAt().toString());
    c.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
    c.put("millis", r.millis().isPresent() ? r.millis().getAsLong() : null);
    c.put("failed_step", r.failedStep());
    c.put("message", r.message());
    Map<String, Long> steps = new LinkedHashMap<>();
    for (CycleReport.StepTime step : r.steps()) {
      steps.put(step.name(), step.millis());
    }
    c.put("step_millis", steps);
    c.put("epochs_computed", r.epochsComputed());
    c.put("epochs_reused", r.epochsReused());
    c.put("version", r.version());
    return c;
  }

  /** The latest reconciliation in brief (the whole report is {@code lambda reconcile --json}'s). */
  private static Map<String, Object> reconciliation(ReconciliationStore store) {
    Map<String, Object> r = new LinkedHashMap<>();
    ReconciliationReport report;
    try {
      report = store.latest().orElse(null);
    } catch (IOException e) {
      r.put("error", "unreadable: " + e.getMessage());
      return r;
    }
    r.put("version", report == null ? null : report.version());
    r.put("at", report == null ? null : report.at());
    r.put("epochs", report == null || report.epochs().isEmpty() ? null
        : report.epochs().get(0) + "-" + report.epochs().get(report.epochs().size() - 1));
    r.put("rows_compared", report == null ? null : report.rowsCompared());
    r.put("rows_differing", report == null ? null : report.rowsDiffering());
    List<String> differing = new ArrayList<>();
    if (report != null) {
      for (ViewReconciliation v : report.differingViews()) {
        differing.add(v.view() + " (" + v.rowsDiffering() + " of " + v.rowsCompared() + " rows)");
      }
    }
    r.put("differing_views", differing);
    r.put("error", report == null ? null : report.error());
    return r;
  }

  /** The same facts as {@code --json}, one section per line group. */
  @SuppressWarnings("unchecked")
  private void printText(Map<String, Object> status) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : status.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> section) {
        b.append(e.getKey().replace('_', ' ')).append('\n');
        for (Map.Entry<String, Object> f : ((Map<String, Object>) section).entrySet()) {
          b.append(String.format("  %-24s %s%n", f.getKey().replace('_', ' '), text(f.getValue())));
        }
      } else {
        b.append(String.format("%-26s %s%n", e.getKey().replace('_', ' '), text(e.getValue())));
      }
    }
    System.out.print(b);
    System.out.flush();
  }

  /** A value as the text form shows it: {@code -} for none, a map as {@code key=value} pairs. */
  private static String text(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
      }
      return b.length() == 0 ? "-" : b.toString();
    }
    return value.toString();
  }
}
