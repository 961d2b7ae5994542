package org.lambdadist.speed;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.epoch.EpochChain;
import org.lambdadist.core.epoch.MicroBatchLedger;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.core.event.ParseResult;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.lambdadist.storage.hbase.EpochStore;
import org.lambdadist.storage.layout.MasterDataset;
import org.lambdadist.storage.hbase.HBaseSchema;
import org.lambdadist.storage.hbase.MetaStore;
import org.lambdadist.storage.hbase.RealtimeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

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

  /** Writes the batch whose accepted arrivals (copies flagged) are {@code arrivals}. */
  void write(JavaRDD<Arrival> arrivals, OffsetRange[] ranges, long rejected) throws IOException {
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

    LongAccumulator accepted = arrivals.context().longAccumulator("accepted");
    LongAccumulator duplicates = arrivals.context().longAccumulator("duplicates");
    LongAccumulator badValues = arrivals.context().longAccumulator("bad-values");
    LongAccumulator cells = arrivals.context().longAccumulator("cells");
    LongAccumulator failed = arrivals.context().longAccumulator("unprocessable");
    SpeedSettings s = settings;
    EpochChain c = chain;
    long sequence = batch.sequence();
    arrivals.mapPartitionsToPair(it -> aggregate(it, s, c, accepted, duplicates, badValues, failed))
        .reduceByKey(MicroBatchWriter::merge)
        .foreachPartition(it -> cells.add(apply(it, s, sequence)));

    long now = clock.millis();
    epochs.commit(batch, now, progress.accepted() + accepted.value(), progress.rejected() + rejected + failed.value(),
        progress.duplicates() + duplicates.value());
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
      EpochChain after = epochs.close(chain, until, now, "speed");
      LOG.info("closed epoch {} at {}", chain.openEpoch(), after.endOf(chain.openEpoch()));
    }
  }

  /**
   * Aggregates a task's kept arrivals per (view row, arrival epoch). A record whose reading or
   * aggregation throws (nothing should: {@link EventRules} bounds every value, and the table
   * changes nothing until every key of an event is built) becomes a dead letter
   * ({@code UNPROCESSABLE}) and is counted, never a failed micro-batch.
   */
  private static Iterator<Tuple2<CellKey, byte[]>> aggregate(Iterator<Arrival> it, SpeedSettings s, EpochChain chain,
                                                             LongAccumulator accepted, LongAccumulator duplicates,
                                                             LongAccumulator badValues, LongAccumulator failed)
      throws Exception {
    EventRules rules = s.rules();
    Map<Long, AggregationTable> tables = new HashMap<>();
    DeadLetters deadLetters = new DeadLetters(s);
    while (it.hasNext()) {
      Arrival a = it.next();
      duplicates.add(a.droppedCopies());
      if (a.duplicate) {
        continue;
      }
      try {
        ParseResult r = rules.read(a.value);
        if (!r.isAccepted()) {
          throw new IllegalStateException("the second read rejected what the first accepted: " + r.rejection());
        }
        long epoch = chain.epochOf(a.partition, a.offset);
        badValues.add(tables.computeIfAbsent(epoch, e -> rules.newTable()).add(r.event()));
        accepted.add(1);
      } catch (RuntimeException | StackOverflowError e) {
        LOG.error("partition {} offset {}: cannot aggregate the record, sent to {}", a.partition, a.offset,
            s.rejectedTopic, e);
        deadLetters.send(a.partition, a.offset, a.timestampMillis, a.value, RejectReason.UNPROCESSABLE.name(),
            RejectReason.describe(e));
        failed.add(1);
      }
    }
    deadLetters.flush();
    List<Tuple2<CellKey, byte[]>> out = new ArrayList<>();
    for (Map.Entry<Long, AggregationTable> t : tables.entrySet()) {
      for (Map.Entry<ViewKey, RowAggregate> row : t.getValue().rows().entrySet()) {
        out.add(new Tuple2<>(new CellKey(RowKeyCodec.encode(row.getKey()), t.getKey()),
            RowAggregateCodec.encode(row.getValue())));
      }
    }
    return out.iterator();
  }

  private static byte[] merge(byte[] a, byte[] b) {
    RowAggregate left = RowAggregateCodec.decode(a);
    left.merge(RowAggregateCodec.decode(b));
    return RowAggregateCodec.encode(left);
  }

  private static long apply(Iterator<Tuple2<CellKey, byte[]>> it, SpeedSettings s, long sequence) throws IOException {
    List<RealtimeStore.CellUpdate> updates = new ArrayList<>();
    while (it.hasNext()) {
      Tuple2<CellKey, byte[]> t = it.next();
      updates.add(new RealtimeStore.CellUpdate(t._1().rowKey, t._1().epoch, t._2()));
    }
    return new RealtimeStore(SpeedResources.hbase(s), SpeedResources.schema(s)).apply(updates, sequence);
  }

  /** Sends the rejected records of a batch to the dead-letter topic; returns how many. */
  static long sendRejected(JavaRDD<Arrival> arrivals, SpeedSettings s) {
    LongAccumulator sent = arrivals.context().longAccumulator("rejected");
    arrivals.filter(a -> !a.accepted()).foreachPartition(it -> {
      DeadLetters deadLetters = new DeadLetters(s);
      while (it.hasNext()) {
        Arrival a = it.next();
        deadLetters.send(a.partition, a.offset, a.timestampMillis, a.value, a.rejectReason, a.rejectMessage);
      }
      sent.add(deadLetters.flush());
    });
    return sent.value();
  }
}
