package org.lambdadist.speed;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one micro-batch, on the driver: places it in the ledger (new, resumed after a crash,
 * or already done), marks it pending, runs its one job (admission, dead letters, dedup and
 * aggregation per (view row, arrival epoch) on the executors, the partials merged into the
 * realtime cells), commits the offsets beside the output, and closes the open epoch when it is
 * old enough.
 */
final class MicroBatchWriter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchWriter.class);

  private final SpeedSettings settings;
  private final Clock clock;

  MicroBatchWriter(SpeedSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  static PartitionOffsets from(OffsetRange[] ranges) {
    Map<Integer, Long> m = new HashMap<>();
    for (OffsetRange r : ranges) {
      m.put(r.partition(), r.fromOffset());
    }
    return PartitionOffsets.of(m);
  }

  static PartitionOffsets until(OffsetRange[] ranges) {
    Map<Integer, Long> m = new HashMap<>();
    for (OffsetRange r : ranges) {
      m.put(r.partition(), r.untilOffset());
    }
    return PartitionOffsets.of(m);
  }

  /**
   * Writes the micro-batch of these offset ranges: one Spark job reads, admits, dedups and
   * aggregates it ({@link SpeedGraph}) and merges its cells into the realtime table; then its
   * offsets are committed beside them and, once committed, its counts go to this driver's metrics.
   */
  void write(JavaSparkContext sc, OffsetRange[] ranges) throws IOException {
    PartitionOffsets from = from(ranges);
    PartitionOffsets until = until(ranges);
    Connection hbase = SpeedResources.hbase(settings);
    HBaseSchema schema = SpeedResources.schema(settings);
    EpochStore epochs = new EpochStore(hbase, schema);
    long started = clock.millis();
    EpochChain chain = chain(epochs, started);
    EpochStore.SpeedProgress progress = epochs.readProgress();
    if (from.equals(until)) {
      epochs.touch(started);
      maybeClose(epochs, chain, until, started);
      return;
    }
    MicroBatchLedger.Decision decision = progress.ledger().place(from, until);
    if (decision.kind() == MicroBatchLedger.Kind.DONE) {
      LOG.info("micro-batch {} ({} .. {}) was already written", decision.sequence(), from, until);
      return;
    }
    MicroBatchLedger.Batch batch = new MicroBatchLedger.Batch(decision.sequence(), from, until);
    // The dedup window is measured at the micro-batch's first run, also when it runs again.
    long batchTime = started;
    if (decision.kind() == MicroBatchLedger.Kind.NEW || progress.pendingAtMillis() < 0) {
      epochs.markPending(batch, started);
    } else {
      batchTime = progress.pendingAtMillis();
      LOG.warn("writing micro-batch {} ({} .. {}) again: it was interrupted", batch.sequence(), from, until);
    }
    new MetaStore(hbase, schema).markRealtimeEpoch(chain.openEpoch());

    DedupAggregateFn.Counters counters = new DedupAggregateFn.Counters(sc.sc().longAccumulator("accepted"),
        sc.sc().longAccumulator("duplicates"), sc.sc().longAccumulator("bad-values"),
        sc.sc().longAccumulator("unprocessable"), sc.sc().longAccumulator("admit-nanos"),
        sc.sc().longAccumulator("dedup-nanos"), sc.sc().longAccumulator("aggregate-nanos"),
        sc.sc().longAccumulator("apply-nanos"));
    RejectCounts rejectedByReason = new RejectCounts();
    sc.sc().register(rejectedByReason, "rejected");
    LongAccumulator cells = sc.sc().longAccumulator("cells");
    long jobStart = clock.millis();
    SpeedGraph.cells(sc, ranges, settings, chain, batch.sequence(), batchTime, counters, rejectedByReason)
        .foreachPartition(new ApplyCellsFn(settings, batch.sequence(), cells, counters.applyNanos()));
    long jobEnd = clock.millis();
    long accepted = counters.accepted().value();
    long duplicates = counters.duplicates().value();
    long failed = counters.unprocessable().value();
    Map<String, Long> byReason = new HashMap<>(rejectedByReason.value());
    long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
    long sequence = batch.sequence();

    long now = clock.millis();
    SpeedResources.lease().check("commit micro-batch " + batch.sequence());
    epochs.commit(batch, now, progress.accepted() + accepted, progress.rejected() + rejected + failed,
        progress.duplicates() + duplicates);
    if (failed > 0) {
      byReason.merge(RejectReason.UNPROCESSABLE.name(), failed, Long::sum);
    }
    try {
      SpeedResources.metrics().ifPresent(m -> m.committed(accepted, byReason, duplicates));
    } catch (RuntimeException e) {
      // The batch is committed: its metrics are monitoring only and must never fail it.
      LOG.warn("micro-batch {}: its counts could not be added to the metrics: {}", sequence, e.toString());
    }
    LOG.info("micro-batch {}: {} records, {} accepted, {} rejected, {} unprocessable, {} duplicates, {} bad metric values,"
        + " {} cells, {} ms (meta {} ms, job {} ms: tasks admit {} ms, dedup {} ms, aggregate {} ms, apply {} ms;"
        + " commit {} ms)", sequence, until.distanceFrom(from), accepted, rejected, failed, duplicates,
        counters.badValues().value(), cells.value(), clock.millis() - started, jobStart - started, jobEnd - jobStart,
        counters.admitNanos().value() / 1_000_000, counters.dedupNanos().value() / 1_000_000,
        counters.aggregateNanos().value() / 1_000_000, counters.applyNanos().value() / 1_000_000, now - jobEnd);
    maybeClose(epochs, chain, until, now);
  }

  /** The epoch chain; started at one past the master dataset's epochs when there is none. */
  EpochChain chain(EpochStore epochs, long now) throws IOException {
    EpochChain chain = epochs.readChain();
    if (chain != null) {
      return chain;
    }
    long first = new MasterDataset(settings.hadoopConf(), new Path(settings.root)).nextEpoch();
    return epochs.startChain(first, now);
  }

  private void maybeClose(EpochStore epochs, EpochChain chain, PartitionOffsets until, long now) throws IOException {
    PartitionOffsets end = chain.openStart().with(until);
    if (now - chain.openSinceMillis() >= settings.epochIntervalMillis && !end.equals(chain.openStart())) {
      SpeedResources.lease().check("close epoch " + chain.openEpoch());
      EpochChain after = epochs.close(chain, until, now, "speed");
      LOG.info("closed epoch {} at {}", chain.openEpoch(), after.endOf(chain.openEpoch()));
    }
  }
}
