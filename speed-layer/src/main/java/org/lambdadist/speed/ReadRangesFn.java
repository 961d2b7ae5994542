package org.lambdadist.speed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.lambdadist.storage.kafka.OffsetRangeReader;

/**
 * Reads a task's offset ranges with the product's own range reader and turns each record into
 * an {@link Arrival} with core's admission rule. Spark's DStream Kafka reader waits forever
 * (then fails) on a range that ends with a transaction marker, which every transactional
 * producer leaves; {@link OffsetRangeReader} ends a range by the consumer's position instead,
 * and reads {@code read_committed}, so aborted records never arrive.
 */
final class ReadRangesFn implements FlatMapFunction<Iterator<OffsetRange>, Arrival> {
  private static final long serialVersionUID = 1L;
  private static final Duration POLL = Duration.ofMillis(500);
  /** Two minutes without a record while a range is unfinished: Kafka is away. */
  private static final int MAX_EMPTY_POLLS = 240;

  private final SpeedSettings settings;

  ReadRangesFn(SpeedSettings settings) {
    this.settings = settings;
  }

  @Override
  public Iterator<Arrival> call(Iterator<OffsetRange> ranges) {
    IdentifyFn identify = new IdentifyFn(settings);
    List<Arrival> out = new ArrayList<>();
    while (ranges.hasNext()) {
      OffsetRange r = ranges.next();
      if (r.untilOffset() <= r.fromOffset()) {
        continue;
      }
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(SpeedLayerJob.kafkaParams(settings));
      try (OffsetRangeReader reader = new OffsetRangeReader(consumer, r.topic(), r.partition(), r.fromOffset(),
          r.untilOffset(), POLL, MAX_EMPTY_POLLS)) {
        identify.call(reader).forEachRemaining(out::add);
      }
    }
    return out.iterator();
  }
}
