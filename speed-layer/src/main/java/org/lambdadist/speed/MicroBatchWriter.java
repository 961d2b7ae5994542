package org.lambdadist.speed;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.api.java.JavaRDD;
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
 * or already done), marks it pending, aggregates its events per (view row, arrival epoch) on
 * the executors, merges the partials into the realtime cells, commits the offsets beside the
 * output, and closes the open epoch when it is old enough.
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
   * Writes the batch whose accepted arrivals (copies flagged) are {@code arrivals}, of which
   * {@code rejectedByReason} were sent to the dead letters; once committed its counts go to this
   * driver's metrics, if any.
   */
  void write(JavaRDD<Arrival> arrivals, OffsetRange[] ranges, Map<String, Long> rejectedByReason) throws IOException {
    long rejected = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
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
    if (decision.kind() == MicroBatchLedger.Kind.NEW) {
      epochs.markPending(batch);
    } else {
      LOG.warn("writing micro-batch {} ({} .. {}) again: it was interrupted", batch.sequence(), from, until);
    }
    new MetaStore(hbase, schema).markRealtimeEpoch(chain.openEpoch());

    AggregateCellsFn.Counters counters = new AggregateCellsFn.Counters(arrivals.context().longAccumulator("accepted"),
        arrivals.context().longAccumulator("duplicates"), arrivals.context().longAccumulator("bad-values"),
        arrivals.context().longAccumulator("unprocessable"));
    LongAccumulator cells = arrivals.context().longAccumulator("cells");
    arrivals.mapPartitionsToPair(new AggregateCellsFn(settings, chain, counters, AggregateCellsFn.topic(settings)))
        .reduceByKey(new MergeCellsFn())
        .foreachPartition(new ApplyCellsFn(settings, batch.sequence(), cells));
    LongAccumulator accepted = counters.accepted();
    LongAccumulator duplicates = counters.duplicates();
    LongAccumulator badValues = counters.badValues();
    LongAccumulator failed = counters.unprocessable();
    long sequence = batch.sequence();

    long now = clock.millis();
    SpeedResources.lease().check("commit micro-batch " + batch.sequence());
    epochs.commit(batch, now, progress.accepted() + accepted.value(), progress.rejected() + rejected + failed.value(),
        progress.duplicates() + duplicates.value());
    Map<String, Long> byReason = new HashMap<>(rejectedByReason);
    if (failed.value() > 0) {
      byReason.merge(RejectReason.UNPROCESSABLE.name(), failed.value(), Long::sum);
    }
    long acceptedCount = accepted.value();
    long duplicateCount = duplicates.value();
    try {
      SpeedResources.metrics().ifPresent(m -> m.committed(acceptedCount, byReason, duplicateCount));
    } catch (RuntimeException e) {
      // The batch is committed: its metrics are monitoring only and must never fail it.
      LOG.warn("micro-batch {}: its counts could not be added to the metrics: {}", sequence, e.toString());
    }
    LOG.info("micro-batch {}: {} records, {} accepted, {} rejected, {} unprocessable, {} duplicates, {} bad metric values,"
        + " {} cells, {} ms", sequence, until.distanceFrom(from), accepted.value(), rejected, failed.value(),
        duplicates.value(), badValues.value(), cells.value(), now - started);
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
