package org.lambdadist.speed;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaDStream;

/**
 * The speed layer's graph, once, from named functions, for the live stream and for the
 * recovery of an interrupted micro-batch alike:
 * <pre>
 *   ranges ─ReadRangesFn, IdentifyFn─▶ arrivals ─┬─ rejected ─SendDeadLettersFn─▶ dead-letter topic
 *                                   ├─ with an id ─ById─Earlier─(live: InWindow)─┐
 *                                   └─ accepted, no id ──────────────────────────┴─▶ kept
 *   kept ─AggregateCellsFn─MergeCellsFn─ApplyCellsFn─▶ realtime cells   (MicroBatchWriter)
 * </pre>
 * The live stream remembers ids for the dedup window in Spark's state ({@link FirstCopies.InWindow});
 * the recovery path writes again one micro-batch that no checkpoint holds, so its first copies
 * are those within the batch, exactly as its first run chose them.
 */
final class SpeedGraph {
  private SpeedGraph() {}

  /** The live stream's arrivals: each micro-batch's offset ranges read by the product's range reader. */
  static JavaDStream<Arrival> identify(JavaInputDStream<ConsumerRecord<byte[], byte[]>> stream, SpeedSettings s) {
    return stream.transform(new IdentifyRangesFn(s));
  }

  /** One micro-batch's arrivals, for recovery. */
  static JavaRDD<Arrival> identify(JavaSparkContext sc, OffsetRange[] ranges, SpeedSettings s) {
    return IdentifyRangesFn.read(sc, ranges, s);
  }

  /** Sends a micro-batch's rejected arrivals to the dead letters; returns how many per reason. */
  static java.util.Map<String, Long> sendDeadLetters(JavaRDD<Arrival> arrivals, SpeedSettings s) {
    RejectCounts sent = new RejectCounts();
    arrivals.context().register(sent, "rejected");
    arrivals.foreachPartition(new SendDeadLettersFn(s, sent));
    return sent.value();
  }

  /** The arrivals the live stream keeps: first copies within the batch and the dedup window, and those without an id. */
  static JavaDStream<Arrival> kept(JavaDStream<Arrival> arrivals, SpeedSettings s) {
    return arrivals.filter(new FirstCopies.HasId()).mapToPair(new FirstCopies.ById())
        .reduceByKey(new FirstCopies.Earlier())
        .mapWithState(StateSpec.function(new FirstCopies.InWindow()).timeout(Durations.milliseconds(s.dedupWindowMillis)))
        .filter(new FirstCopies.Present())
        .union(arrivals.filter(new FirstCopies.AcceptedWithoutId()));
  }

  /** The arrivals a recovered micro-batch keeps: first copies within the batch, and those without an id. */
  static JavaRDD<Arrival> kept(JavaRDD<Arrival> arrivals) {
    return arrivals.filter(new FirstCopies.HasId()).mapToPair(new FirstCopies.ById())
        .reduceByKey(new FirstCopies.Earlier()).values()
        .union(arrivals.filter(new FirstCopies.AcceptedWithoutId()));
  }
}
