package org.lambdadist.speed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * What the earlier output operations of a micro-batch learned, for its last one, on the
 * driver: the batch's Kafka offset ranges (only the direct stream's own RDD knows them) and
 * how many records were rejected, per reason. Spark runs a batch's output operations in order, after a
 * restart too, so the writer always finds its batch here.
 */
final class BatchRegistry {
  private static final Map<Long, OffsetRange[]> RANGES = new ConcurrentHashMap<>();
  private static final Map<Long, Map<String, Long>> REJECTED = new ConcurrentHashMap<>();

  private BatchRegistry() {}

  static void ranges(long batchTime, OffsetRange[] ranges) {
    RANGES.put(batchTime, ranges);
  }

  static void rejected(long batchTime, Map<String, Long> byReason) {
    REJECTED.put(batchTime, byReason);
  }

  static OffsetRange[] takeRanges(long batchTime) {
    OffsetRange[] r = RANGES.remove(batchTime);
    if (r == null) {
      throw new IllegalStateException("no offset ranges recorded for the micro-batch of " + batchTime);
    }
    return r;
  }

  static Map<String, Long> takeRejected(long batchTime) {
    Map<String, Long> n = REJECTED.remove(batchTime);
    return n == null ? Map.of() : n;
  }
}
