package org.lambdadist.speed;

import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * The live stream's micro-batch as arrivals: the offset ranges Spark's direct stream chose for
 * it, read by {@link ReadRangesFn} (one task per range); Spark's own record iterator is never
 * used.
 */
final class IdentifyRangesFn implements Function<JavaRDD<ConsumerRecord<byte[], byte[]>>, JavaRDD<Arrival>> {
  private static final long serialVersionUID = 1L;
  private final SpeedSettings settings;

  IdentifyRangesFn(SpeedSettings settings) {
    this.settings = settings;
  }

  @Override
  public JavaRDD<Arrival> call(JavaRDD<ConsumerRecord<byte[], byte[]>> rdd) {
    OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
    return read(JavaSparkContext.fromSparkContext(rdd.context()), ranges, settings);
  }

  /** The arrivals of these ranges, one task per range. */
  static JavaRDD<Arrival> read(JavaSparkContext sc, OffsetRange[] ranges, SpeedSettings settings) {
    return sc.parallelize(Arrays.asList(ranges), Math.max(1, ranges.length)).mapPartitions(new ReadRangesFn(settings));
  }
}
