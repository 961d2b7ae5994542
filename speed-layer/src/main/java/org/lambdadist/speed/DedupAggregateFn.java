package org.lambdadist.speed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.lambdadist.core.aggregate.AggregationTable;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.dedup.DedupWindow;
import org.lambdadist.core.dedup.FirstCopies;
import org.lambdadist.core.event.ProjectedEvents;
import org.lambdadist.core.event.RejectReason;
import org.lambdadist.core.rules.EventRules;
import org.lambdadist.core.view.ViewKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A micro-batch's second stage, one task per dedup state partition: decides which copies of its
 * partition's ids count ({@link FirstCopies}: the earliest copy in the batch, unless an earlier
 * micro-batch within the window kept the id), writes the kept ids to the partition's state file
 * ({@link DedupStates}), then aggregates the kept events and those without an id per (view row,
 * arrival epoch) with core's aggregation table, one partial cell per row and epoch. A record whose
 * aggregation throws (nothing should: {@link EventRules} bounds every value, and the table changes
 * nothing until every key of an event is built) becomes a dead letter ({@code UNPROCESSABLE}) and
 * is counted, never a failed micro-batch.
 */
final class DedupAggregateFn implements PairFlatMapFunction<Iterator<Tuple2<Integer, byte[]>>, CellKey, byte[]> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DedupAggregateFn.class);

  /** The counters of one micro-batch. */
  record Counters(LongAccumulator accepted, LongAccumulator duplicates, LongAccumulator badValues,
                  LongAccumulator unprocessable, LongAccumulator admitNanos, LongAccumulator dedupNanos,
                  LongAccumulator aggregateNanos, LongAccumulator applyNanos) implements java.io.Serializable {
    /** Counters with fresh accumulators (tests, or not registered with Spark). */
    static Counters unregistered() {
      return new Counters(new LongAccumulator(), new LongAccumulator(), new LongAccumulator(), new LongAccumulator(),
          new LongAccumulator(), new LongAccumulator(), new LongAccumulator(), new LongAccumulator());
    }
  }

  /** Where this stage's dead letters go: the topic, or a list in tests. */
  interface Sinks extends java.io.Serializable {
    DeadLetterSink open();
  }

  private final SpeedSettings settings;
  private final int partitions;
  private final long sequence;
  private final long timeMillis;
  private final Counters counters;
  private final Sinks deadLetters;

  DedupAggregateFn(SpeedSettings settings, int partitions, long sequence, long timeMillis, Counters counters,
                   Sinks deadLetters) {
    this.settings = settings;
    this.partitions = partitions;
    this.sequence = sequence;
    this.timeMillis = timeMillis;
    this.counters = counters;
    this.deadLetters = deadLetters;
  }

  /** The dead-letter topic of these settings. */
  static Sinks topic(SpeedSettings settings) {
    return () -> new DeadLetters(settings);
  }

  @Override
  public Iterator<Tuple2<CellKey, byte[]>> call(Iterator<Tuple2<Integer, byte[]>> frames) throws Exception {
    List<byte[]> chunks = new ArrayList<>();
    frames.forEachRemaining(t -> chunks.add(t._2()));
    return apply(TaskContext.getPartitionId(), chunks).iterator();
  }

  /** The partial cells of state partition {@code partition}'s framed events. */
  List<Tuple2<CellKey, byte[]>> apply(int partition, List<byte[]> chunks) throws Exception {
    long began = System.nanoTime();
    // Every copy with an id: its fingerprint, position, and where its frame is (chunk, byte).
    int capacity = 1024;
    long[] high = new long[capacity];
    long[] low = new long[capacity];
    int[] kafkaPartition = new int[capacity];
    long[] offset = new long[capacity];
    long[] frame = new long[capacity];
    int n = 0;
    long[] noId = new long[64];
    int m = 0;
    for (int c = 0; c < chunks.size(); c++) {
      AdmittedFrames.Cursor cursor = new AdmittedFrames.Cursor(chunks.get(c));
      while (cursor.next()) {
        long where = ((long) c << 32) | cursor.position();
        if (!cursor.hasId()) {
          if (m == noId.length) {
            noId = Arrays.copyOf(noId, 2 * m);
          }
          noId[m++] = where;
          continue;
        }
        if (n == capacity) {
          capacity *= 2;
          high = Arrays.copyOf(high, capacity);
          low = Arrays.copyOf(low, capacity);
          kafkaPartition = Arrays.copyOf(kafkaPartition, capacity);
          offset = Arrays.copyOf(offset, capacity);
          frame = Arrays.copyOf(frame, capacity);
        }
        high[n] = cursor.high();
        low[n] = cursor.low();
        kafkaPartition[n] = cursor.partition();
        offset[n] = cursor.offset();
        frame[n] = where;
        n++;
      }
    }
    boolean[] kept = new boolean[n];
    DedupStates.Partition state = DedupStates.of(settings, partition, partitions);
    synchronized (state) {
      DedupWindow window = state.begin(sequence, timeMillis);
      counters.duplicates().add(FirstCopies.decide(window, n, high, low, kafkaPartition, offset, kept));
      state.persist(sequence, timeMillis);
    }
    long decided = System.nanoTime();
    counters.dedupNanos().add(decided - began);

    EventRules rules = settings.rules();
    ProjectedEvents.Reader reader = new ProjectedEvents.Reader(rules.projection());
    Map<Long, AggregationTable> tables = new HashMap<>();
    AdmittedFrames.Cursor[] cursors = new AdmittedFrames.Cursor[chunks.size()];
    for (int c = 0; c < cursors.length; c++) {
      cursors[c] = new AdmittedFrames.Cursor(chunks.get(c));
    }
    DeadLetterSink dead = null;
    // Events come in epoch runs: the last epoch's table is kept at hand (no boxed lookup per
    // event), and the counts are added to the accumulators once per task.
    long epoch = Long.MIN_VALUE;
    AggregationTable table = null;
    long accepted = 0;
    long badValues = 0;
    long unprocessable = 0;
    for (int i = 0; i < n + m; i++) {
      if (i < n && !kept[i]) {
        continue;
      }
      long where = i < n ? frame[i] : noId[i - n];
      AdmittedFrames.Cursor cursor = cursors[(int) (where >>> 32)];
      cursor.seek((int) where);
      try {
        reader.read(cursor.bytes(), cursor.recordOffset(), cursor.recordLength());
        if (table == null || reader.epoch() != epoch) {
          epoch = reader.epoch();
          table = tables.computeIfAbsent(epoch, e -> rules.newTable());
        }
        badValues += table.add(reader.event());
        accepted++;
      } catch (RuntimeException | StackOverflowError e) {
        LOG.error("partition {} offset {}: cannot aggregate the record, sent to the dead letters", cursor.partition(),
            cursor.offset(), e);
        if (dead == null) {
          dead = deadLetters.open();
        }
        dead.send(cursor.partition(), cursor.offset(), -1, null, RejectReason.UNPROCESSABLE.name(),
            RejectReason.describe(e));
        unprocessable++;
      }
    }
    counters.accepted().add(accepted);
    counters.badValues().add(badValues);
    counters.unprocessable().add(unprocessable);
    if (dead != null) {
      dead.flush();
    }
    List<Tuple2<CellKey, byte[]>> out = new ArrayList<>();
    for (Map.Entry<Long, AggregationTable> t : tables.entrySet()) {
      for (Map.Entry<ViewKey, RowAggregate> row : t.getValue().rows().entrySet()) {
        out.add(new Tuple2<>(new CellKey(RowKeyCodec.encode(row.getKey()), t.getKey()),
            RowAggregateCodec.encode(row.getValue())));
      }
    }
    counters.aggregateNanos().add(System.nanoTime() - decided);
    return out;
  }
}
