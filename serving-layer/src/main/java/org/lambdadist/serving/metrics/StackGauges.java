package org.lambdadist.serving.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.reconcile.MetricDifference;
import org.lambdadist.core.reconcile.ReconciliationReport;
import org.lambdadist.core.reconcile.ViewReconciliation;
import org.lambdadist.serving.read.ServingReads;
import org.lambdadist.storage.hbase.BatchPointer;
import org.lambdadist.storage.hbase.CycleReport;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.hbase.ServingState;

/**
 * The stack's state as gauges, read from meta by a background thread every
 * {@code lambda.serving.metrics.stack-refresh-ms} (never by the scrape, so a paused HBase
 * cannot stall {@code /metrics}; {@code lambda_stack_meta_up} then says the figures are old).
 * A gauge with nothing to report yet (no batch version, no epoch) is NaN, which Prometheus
 * shows as {@code NaN}: absent, not zero.
 */
public final class StackGauges implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StackGauges.class);

  /** One reading of meta. */
  record Snapshot(long readAtMillis, boolean metaUp, ServingState state, EpochChain chain,
                  EpochStore.SpeedProgress speed, CycleReport cycle, ReconciliationReport reconciliation,
                  Long lagEvents) {}

  private final ServingReads reads;
  private final Clock clock;
  private final ScheduledExecutorService refresher;
  private volatile Snapshot last = new Snapshot(-1, false, null, null, EpochStore.SpeedProgress.NONE, null, null, null);
  /** Where the event topic ends, for the speed layer's lag; null: not read. */
  private final KafkaEnds kafka;
  private boolean kafkaFailing;
  private final java.util.Set<String> unreadableRows = new java.util.HashSet<>();
  private final MeterRegistry registry;
  /** The cycle steps that have a gauge: one per step name ever seen (a handful). */
  private final java.util.Set<String> stepGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The views and (view, metric) pairs that have reconciliation gauges: one per name ever seen. */
  private final java.util.Set<String> reconciledGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean failing;

  /** Registers the gauges and starts reading meta every {@code refreshMillis}; no Kafka lag. */
  public StackGauges(ServingReads reads, Clock clock, MeterRegistry registry, long refreshMillis) {
    this(reads, clock, registry, refreshMillis, null);
  }

  /**
   * Registers the gauges and starts reading meta every {@code refreshMillis}, and, when
   * {@code kafkaSettings} is not null, the event topic's end offsets from the Kafka they name
   * (for the speed layer's lag).
   */
  public StackGauges(ServingReads reads, Clock clock, MeterRegistry registry, long refreshMillis,
                     org.apache.hadoop.conf.Configuration kafkaSettings) {
    this.kafka = kafkaSettings == null ? null : new KafkaEnds(kafkaSettings);
    this.reads = reads;
    this.clock = clock;
    this.registry = registry;
    gauge(registry, "lambda.stack.meta.up", "1 when the last reading of HBase meta succeeded, else 0",
        s -> s.metaUp() ? 1 : 0);
    gauge(registry, "lambda.stack.meta.age.seconds", "Seconds since meta was last read successfully",
        s -> s.readAtMillis() < 0 ? Double.NaN : (clock.millis() - s.readAtMillis()) / 1000.0);
    gauge(registry, "lambda.batch.first.epoch", "First arrival epoch the served batch version covers",
        s -> pointer(s) == null ? Double.NaN : pointer(s).firstEpoch());
    gauge(registry, "lambda.batch.last.epoch", "Last arrival epoch the served batch version covers",
        s -> pointer(s) == null ? Double.NaN : pointer(s).lastEpoch());
    gauge(registry, "lambda.batch.version.age.seconds", "Seconds since the served batch version was loaded",
        s -> pointer(s) == null ? Double.NaN : secondsSince(pointer(s).loadedAt()));
    gauge(registry, "lambda.epochs.last.closed", "The last closed arrival epoch",
        s -> s.chain() == null || s.chain().lastClosed() < 0 ? Double.NaN : s.chain().lastClosed());
    gauge(registry, "lambda.epochs.waiting", "Closed epochs the served batch version does not cover yet",
        StackGauges::epochsWaiting);
    gauge(registry, "lambda.epochs.open.age.seconds", "Seconds since the open epoch began",
        s -> s.chain() == null ? Double.NaN : (clock.millis() - s.chain().openSinceMillis()) / 1000.0);
    gauge(registry, "lambda.speed.seconds.since.progress", "Seconds since the speed layer last committed a micro-batch",
        s -> s.speed().committedAtMillis() < 0 ? Double.NaN : (clock.millis() - s.speed().committedAtMillis()) / 1000.0);
    gauge(registry, "lambda.speed.realtime.max.epoch", "Highest epoch the speed layer has written realtime cells for",
        s -> s.state() == null || s.state().realtimeMaxEpoch() < 0 ? Double.NaN : s.state().realtimeMaxEpoch());
    for (String outcome : new String[] {"accepted", "rejected", "duplicate"}) {
      Gauge.builder("lambda.speed.events", this, g -> {
        EpochStore.SpeedProgress p = g.last.speed();
        return switch (outcome) {
          case "accepted" -> p.accepted();
          case "rejected" -> p.rejected();
          default -> p.duplicates();
        };
      }).description("Events the speed layer has committed, by outcome (totals kept in meta)")
          .tag("outcome", outcome).register(registry);
    }
    gauge(registry, "lambda.speed.lag.events",
        "Events in Kafka the speed layer has not committed (the topic's last stable offsets minus meta's)",
        s -> s.lagEvents() == null ? Double.NaN : s.lagEvents());
    gauge(registry, "lambda.freshness.seconds",
        "Seconds since the newest data the API serves was written: the speed layer's last commit, else the batch load",
        this::freshness);
    gauge(registry, "lambda.cycle.running", "1 while a batch cycle runs, else 0",
        s -> s.cycle() == null ? 0 : s.cycle().result() == CycleReport.Result.RUNNING ? 1 : 0);
    gauge(registry, "lambda.cycle.last.ok", "1 when the last batch cycle that ended succeeded, 0 when it failed",
        s -> s.cycle() == null || s.cycle().result() == CycleReport.Result.RUNNING ? Double.NaN
            : s.cycle().result() == CycleReport.Result.OK ? 1 : 0);
    gauge(registry, "lambda.cycle.last.finished.timestamp.seconds", "When the last batch cycle ended (Unix seconds)",
        s -> s.cycle() == null || s.cycle().finishedAt() == null ? Double.NaN
            : s.cycle().finishedAt().toEpochMilli() / 1000.0);
    gauge(registry, "lambda.cycle.last.duration.seconds", "How long the last batch cycle that ended took",
        s -> s.cycle() == null || s.cycle().millis().isEmpty() ? Double.NaN : s.cycle().millis().getAsLong() / 1000.0);
    gauge(registry, "lambda.cycle.epochs.computed", "Epochs whose partial rows the last cycle's aggregate computed",
        s -> s.cycle() == null || s.cycle().epochsComputed() == null ? Double.NaN : s.cycle().epochsComputed());
    gauge(registry, "lambda.cycle.epochs.reused", "Epochs whose partial rows the last cycle's aggregate reused",
        s -> s.cycle() == null || s.cycle().epochsReused() == null ? Double.NaN : s.cycle().epochsReused());
    gauge(registry, "lambda.reconcile.last.timestamp.seconds", "When the latest reconciliation ran (Unix seconds)",
        s -> s.reconciliation() == null || s.reconciliation().at() == null ? Double.NaN
            : instantSeconds(s.reconciliation().at()));
    gauge(registry, "lambda.reconcile.last.ok", "1 when the latest reconciliation could be done, 0 when it failed",
        s -> s.reconciliation() == null ? Double.NaN : s.reconciliation().error() == null ? 1 : 0);
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stack-gauges");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleWithFixedDelay(this::refresh, 0, refreshMillis, TimeUnit.MILLISECONDS);
  }

  private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Snapshot> value) {
    Gauge.builder(name, this, g -> value.applyAsDouble(g.last)).description(description).register(registry);
  }

  /** A read of a monitoring row that may fail alone. */
  private interface RowRead<T> {
    T read() throws IOException;
  }

  /**
   * A monitoring row (the cycle's report, the reconciliation), or null when it cannot be read:
   * a row written by another build must not freeze every other figure.
   */
  private <T> T monitoringRow(String what, RowRead<T> read) {
    try {
      T row = read.read();
      unreadableRows.remove(what);
      return row;
    } catch (IOException | RuntimeException e) {
      if (unreadableRows.add(what)) { // once per row until it reads again
        LOG.warn("metrics: {} cannot be read; its gauges are empty: {}", what, e.toString());
      }
      return null;
    }
  }

  /** Reads meta once now (the background thread's work; tests call it to skip the wait). */
  public synchronized void refresh() {
    try {
      ServingState state = reads.freshState();
      EpochChain chain = reads.epochChain();
      EpochStore.SpeedProgress speed = reads.speedProgress();
      CycleReport cycle = monitoringRow("the last cycle's report", () -> reads.lastCycle().orElse(null));
      ReconciliationReport reconciliation = monitoringRow("the latest reconciliation",
          () -> reads.latestReconciliation().orElse(null));
      last = new Snapshot(clock.millis(), true, state, chain, speed, cycle, reconciliation, lag(speed));
      if (reconciliation != null) {
        for (ViewReconciliation v : reconciliation.views()) {
          reconciliationGauges(v);
        }
      }
      if (cycle != null) {
        for (CycleReport.StepTime step : cycle.steps()) {
          stepGauge(step.name());
        }
      }
      failing = false;
    } catch (IOException | RuntimeException e) {
      if (!failing) { // once per outage
        LOG.warn("metrics: cannot read the stack's state from meta; its gauges keep their last values: {}",
            e.toString());
      }
      failing = true;
      Snapshot s = last;
      last = new Snapshot(s.readAtMillis(), false, s.state(), s.chain(), s.speed(), s.cycle(), s.reconciliation(), s.lagEvents());
    }
  }

  /**
   * Events in Kafka the speed layer has not committed: the topic's end offsets minus those of
   * its last committed micro-batch; null when Kafka is not read or does not answer, or before
   * the speed layer's first micro-batch.
   */
  private Long lag(EpochStore.SpeedProgress speed) {
    org.lambdadist.core.epoch.MicroBatchLedger.Batch done = speed.ledger().committed();
    if (kafka == null || done == null) {
      return null;
    }
    try {
      Long lag = kafka.read().distanceFrom(done.until());
      kafkaFailing = false;
      return lag;
    } catch (org.lambdadist.storage.UserError | RuntimeException | LinkageError e) {
      if (!kafkaFailing) { // once per outage
        LOG.warn("metrics: cannot read the event topic's end offsets from Kafka; the speed layer's lag is unknown: {}",
            e.toString());
      }
      kafkaFailing = true;
      return null;
    }
  }

  /** The speed layer's lag behind Kafka in events at the last reading; null when unknown. */
  public Long lagEvents() {
    return last.lagEvents();
  }

  /**
   * Seconds since the newest data the API serves was written (the speed layer's last commit,
   * else the batch load) at the last reading; NaN when nothing is served yet.
   */
  public double freshnessSeconds() {
    return freshness(last);
  }

  /** A gauge of one cycle step's time in the last cycle (NaN when that cycle did not end the step). */
  private void stepGauge(String step) {
    if (stepGauges.add(step)) {
      Gauge.builder("lambda.cycle.step.seconds", this, g -> {
        CycleReport c = g.last.cycle();
        return c == null ? Double.NaN : c.stepMillis(step).map(m -> m / 1000.0).orElse(Double.NaN);
      }).description("How long each step of the last batch cycle took").tag("step", step).register(registry);
    }
  }

  /** The gauges of one view's latest reconciliation (NaN when the latest did not compare that view). */
  private void reconciliationGauges(ViewReconciliation seen) {
    String view = seen.view();
    if (reconciledGauges.add(view)) {
      viewGauge(view, "lambda.reconcile.rows.compared", "Rows the latest reconciliation compared, by view",
          ViewReconciliation::rowsCompared, null);
      viewGauge(view, "lambda.reconcile.rows.differing", "Rows that differed in the latest reconciliation, by view",
          ViewReconciliation::rowsDiffering, null);
      viewGauge(view, "lambda.reconcile.events.one.side", "Events only one side counted, by view and side",
          v -> v.speedOnlyEvents() == null ? Double.NaN : v.speedOnlyEvents(), "speed");
      viewGauge(view, "lambda.reconcile.events.one.side", "Events only one side counted, by view and side",
          v -> v.batchOnlyEvents() == null ? Double.NaN : v.batchOnlyEvents(), "batch");
    }
    for (MetricDifference m : seen.metrics()) {
      String metric = m.metric();
      if (reconciledGauges.add(view + "\u0000" + metric)) {
        Gauge.builder("lambda.reconcile.largest.difference", this, g -> view(g.last, view)
                .flatMap(v -> v.metrics().stream().filter(x -> x.metric().equals(metric)).findFirst())
                .map(MetricDifference::largestDifference).orElse(Double.NaN))
            .description("Largest difference of a metric between the speed layer and the batch in the latest reconciliation")
            .tag("view", view).tag("metric", metric).register(registry);
      }
    }
  }

  private void viewGauge(String view, String name, String description, ToDoubleFunction<ViewReconciliation> value,
                         String side) {
    Gauge.Builder<StackGauges> b = Gauge.builder(name, this,
        g -> view(g.last, view).map(value::applyAsDouble).orElse(Double.NaN)).description(description).tag("view", view);
    if (side != null) {
      b.tag("side", side);
    }
    b.register(registry);
  }

  private static java.util.Optional<ViewReconciliation> view(Snapshot s, String view) {
    return s.reconciliation() == null ? java.util.Optional.empty()
        : s.reconciliation().views().stream().filter(v -> v.view().equals(view)).findFirst();
  }

  private static double instantSeconds(String instant) {
    try {
      return Instant.parse(instant).toEpochMilli() / 1000.0;
    } catch (DateTimeParseException e) {
      return Double.NaN; // a time this code did not write: nothing to tell
    }
  }

  private static BatchPointer pointer(Snapshot s) {
    return s.state() == null ? null : s.state().pointer();
  }

  private static double epochsWaiting(Snapshot s) {
    long waiting = epochsWaiting(s.chain(), pointer(s));
    return waiting < 0 ? Double.NaN : waiting;
  }

  /**
   * Closed epochs the served batch version does not cover yet; -1 before the first epoch
   * closes. The one rule for the gauge and {@code /v1/status} (which the dashboard shows).
   */
  public static long epochsWaiting(EpochChain chain, BatchPointer served) {
    if (chain == null || chain.lastClosed() < 0) {
      return -1;
    }
    long covered = served == null ? chain.first() - 1 : served.lastEpoch();
    return Math.max(0, chain.lastClosed() - covered);
  }

  private double freshness(Snapshot s) {
    if (s.speed().committedAtMillis() >= 0) {
      return (clock.millis() - s.speed().committedAtMillis()) / 1000.0;
    }
    BatchPointer p = pointer(s);
    return p == null ? Double.NaN : secondsSince(p.loadedAt());
  }

  private double secondsSince(String instant) {
    if (instant == null) {
      return Double.NaN;
    }
    try {
      return (clock.millis() - Instant.parse(instant).toEpochMilli()) / 1000.0;
    } catch (DateTimeParseException e) {
      return Double.NaN; // a loaded_at this code did not write: no age to tell
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
