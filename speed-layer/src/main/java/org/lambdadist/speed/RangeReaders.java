package org.lambdadist.speed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * This JVM's Kafka consumers for reading micro-batches' offset ranges, one per partition, kept
 * between micro-batches: a range that starts where the partition's last one ended goes on
 * where its consumer is, with the records it already fetched (a consumer fetches ahead while the
 * micro-batch is written), instead of a new consumer, a seek and a first fetch every time (a
 * fixed cost of 50 to 250 ms per task, measured, whatever the range's size). A range starting
 * elsewhere (a micro-batch written again, another executor read the partition last) seeks.
 *
 * <p>A range ends where the consumer's position reaches its end, whatever the offsets in between
 * hold, as {@link org.lambdadist.storage.kafka.OffsetRangeReader} does: Kafka transactions leave
 * offsets without records (markers, and aborted records under {@code read_committed}). A range
 * that yields nothing for {@code maxEmptyPolls} polls while unfinished fails.
 */
final class RangeReaders {
  private static final Map<TopicPartition, Reader> IDLE = new HashMap<>();

  private RangeReaders() {}

  /** The reader of a partition, taken from the pool (a new one if none is idle); give it back with {@link #giveBack}. */
  static Reader borrow(SpeedSettings s, TopicPartition tp) {
    synchronized (IDLE) {
      Reader r = IDLE.remove(tp);
      if (r != null) {
        return r;
      }
    }
    return new Reader(new KafkaConsumer<>(SpeedLayerJob.kafkaParams(s)), tp);
  }

  /** Returns a reader whose last range was read whole; one that failed is closed instead. */
  static void giveBack(Reader reader) {
    Reader replaced;
    synchronized (IDLE) {
      replaced = IDLE.put(reader.tp, reader);
    }
    if (replaced != null) {
      replaced.close(); // two tasks read the same partition at once (never in one micro-batch)
    }
  }

  /** Closes every idle reader (the speed layer stops). */
  static void closeAll() {
    List<Reader> all;
    synchronized (IDLE) {
      all = List.copyOf(IDLE.values());
      IDLE.clear();
    }
    all.forEach(Reader::close);
  }

  /** Receives a range's records. */
  @FunctionalInterface
  interface RecordSink {
    void record(ConsumerRecord<byte[], byte[]> r) throws Exception;
  }

  /** One partition's consumer and the records it fetched past the last range's end. */
  static final class Reader {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition tp;
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> ahead = new ArrayDeque<>();
    /** Where the last range ended (the next record handed out is at or after it); -1 before any. */
    private long next = -1;

    private Reader(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
      this.consumer = consumer;
      this.tp = tp;
      consumer.assign(List.of(tp));
    }

    /** Hands every record of {@code [from, until)} to {@code sink}, in offset order. */
    void read(long from, long until, Duration poll, int maxEmptyPolls, RecordSink sink) throws Exception {
      if (next != from) {
        ahead.clear();
        consumer.seek(tp, from);
      }
      next = -1; // unknown until the range is read whole
      int empty = 0;
      while (true) {
        while (!ahead.isEmpty()) {
          ConsumerRecord<byte[], byte[]> r = ahead.peekFirst();
          if (r.offset() >= until) {
            next = until;
            return;
          }
          ahead.pollFirst();
          if (r.offset() >= from) {
            sink.record(r);
          }
        }
        if (consumer.position(tp) >= until) {
          next = until;
          return;
        }
        List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(poll).records(tp);
        if (records.isEmpty() && ++empty > maxEmptyPolls) {
          throw new UncheckedIOException(new IOException("no records from " + tp + " at offset "
              + consumer.position(tp) + " for " + maxEmptyPolls + " polls of " + poll.toMillis()
              + " ms while reading up to offset " + until));
        }
        ahead.addAll(records);
      }
    }

    void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }
}
