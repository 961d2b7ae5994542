package org.lambdadist.storage.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition's offsets {@code [from, until)}, read with an assigned consumer.
 * The range ends where the consumer's position reaches {@code until}, whatever the offsets in
 * between hold: Kafka transactions leave offsets without records (commit and abort markers, and
 * aborted records under {@code isolation.level=read_committed}), so counting records, or
 * waiting for a record at {@code until - 1}, would be wrong or wait forever (Spark's DStream
 * reader does, apache/spark#21917). A range that yields nothing for {@code maxEmptyPolls} polls
 * while its end is not reached fails (Kafka away, or the range was never written).
 */
public final class OffsetRangeReader implements Iterator<ConsumerRecord<byte[], byte[]>>, AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition tp;
  private final long until;
  private final Duration poll;
  private final int maxEmptyPolls;
  private Iterator<ConsumerRecord<byte[], byte[]>> batch = Collections.emptyIterator();
  private ConsumerRecord<byte[], byte[]> next;
  private boolean done;

  /** Reads {@code [from, until)} of a partition with {@code consumer}, which this reader owns and closes. */
  public OffsetRangeReader(KafkaConsumer<byte[], byte[]> consumer, String topic, int partition, long from, long until,
                           Duration poll, int maxEmptyPolls) {
    this.consumer = consumer;
    this.tp = new TopicPartition(topic, partition);
    this.until = until;
    this.poll = poll;
    this.maxEmptyPolls = maxEmptyPolls;
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    done = from >= until;
  }

  /** The first offset the log still holds (retention may have removed earlier ones). */
  public long logStart() {
    return consumer.beginningOffsets(List.of(tp)).get(tp);
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    int empty = 0;
    while (!done) {
      if (batch.hasNext()) {
        ConsumerRecord<byte[], byte[]> r = batch.next();
        if (r.offset() >= until) {
          done = true;
          return false;
        }
        next = r;
        return true;
      }
      if (consumer.position(tp) >= until) {
        done = true;
        return false;
      }
      List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(poll).records(tp);
      if (records.isEmpty() && ++empty > maxEmptyPolls) {
        throw new UncheckedIOException(new IOException("no records from " + tp + " at offset " + consumer.position(tp)
            + " for " + maxEmptyPolls + " polls of " + poll.toMillis() + " ms while reading up to offset " + until));
      }
      batch = records.iterator();
    }
    return false;
  }

  @Override
  public ConsumerRecord<byte[], byte[]> next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the range ends at " + until);
    }
    ConsumerRecord<byte[], byte[]> r = next;
    next = null;
    return r;
  }

  /** The next offset to read. */
  public long position() {
    return consumer.position(tp);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
