package org.lambdadist.speed;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.lambdadist.core.epoch.EpochChain;

/**
 * The speed layer's graph for one micro-batch, the same for the live stream and for the
 * micro-batch written again after a crash: one Spark job of three stages, each record read and
 * parsed once.
 * <pre>
 *   offset ranges ─AdmitFn─▶ (rejected ─▶ dead-letter topic, counted per reason)
 *                           accepted, parsed, framed per dedup state partition
 *     ─shuffle by state partition─▶ DedupAggregateFn ─▶ partial cells per (view row, epoch)
 *     ─reduceByKey(MergeCellsFn)─▶ ApplyCellsFn ─▶ realtime cells        (MicroBatchWriter)
 * </pre>
 * The dedup window lives with the state partitions ({@link DedupStates}): in memory between
 * micro-batches, on files for restarts; Spark's checkpoint is not used.
 */
final class SpeedGraph {
  private SpeedGraph() {}

  /** The micro-batch's partial cells, merged per (view row, epoch); dead letters sent as the job runs. */
  static JavaPairRDD<CellKey, byte[]> cells(JavaSparkContext sc, OffsetRange[] ranges, SpeedSettings s, EpochChain chain,
                                            long sequence, long timeMillis, DedupAggregateFn.Counters counters,
                                            RejectCounts rejected) {
    List<OffsetRange> nonEmpty = new ArrayList<>();
    for (OffsetRange r : ranges) {
      if (r.untilOffset() > r.fromOffset()) {
        nonEmpty.add(r);
      }
    }
    int partitions = s.dedupPartitions;
    return sc.parallelize(nonEmpty, Math.max(1, nonEmpty.size()))
        .mapPartitionsToPair(new AdmitFn(s, chain, partitions, rejected, counters.admitNanos()))
        .partitionBy(new HashPartitioner(partitions))
        .mapPartitionsToPair(new DedupAggregateFn(s, partitions, sequence, timeMillis, counters,
            DedupAggregateFn.topic(s)))
        .reduceByKey(new MergeCellsFn());
  }
}
