package org.lambdadist.speed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.lambdadist.storage.kafka.OffsetRangeReader;

/**
 * Sends rejected records of one task to the dead-letter topic, each with headers {@code reason},
 * {@code message} and {@code source} ({@code topic/partition/offset}), and waits for every send
 * in {@link #flush}: a dead letter that cannot be written fails the task (infrastructure), never
 * lost silently. No record can make a send fail: a value over {@value #MAX_VALUE_BYTES} bytes is
 * cut there (header {@code truncated} holds its full length, under Kafka's default message size
 * limit) and a record without a valid timestamp is sent without one. A record whose bytes the
 * caller no longer holds (one that failed after the shuffle, where only its parsed form travels)
 * is read again from Kafka by its position.
 */
final class DeadLetters implements DeadLetterSink {
  /** The longest value a dead letter carries. */
  static final int MAX_VALUE_BYTES = 512 * 1024;

  private final SpeedSettings settings;
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;

  DeadLetters(SpeedSettings settings) {
    this.settings = settings;
  }

  @Override
  public void send(int partition, long offset, long timestampMillis, byte[] value, String reason, String message) {
    if (value == null) {
      ConsumerRecord<byte[], byte[]> record = readAgain(partition, offset);
      value = record == null || record.value() == null ? new byte[0] : record.value();
      timestampMillis = record == null ? -1 : record.timestamp();
    }
    if (producer == null) {
      producer = SpeedResources.deadLetters(settings);
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader("reason", reason.getBytes(StandardCharsets.UTF_8)));
    headers.add(new RecordHeader("message", message.getBytes(StandardCharsets.UTF_8)));
    headers.add(new RecordHeader("source", (settings.topic + "/" + partition + "/" + offset)
        .getBytes(StandardCharsets.UTF_8)));
    byte[] body = value;
    if (value.length > MAX_VALUE_BYTES) {
      body = Arrays.copyOf(value, MAX_VALUE_BYTES);
      headers.add(new RecordHeader("truncated", Integer.toString(value.length).getBytes(StandardCharsets.UTF_8)));
    }
    Long timestamp = timestampMillis >= 0 ? timestampMillis : null;
    sends.add(producer.send(new ProducerRecord<>(settings.rejectedTopic, null, timestamp, null, body, headers)));
  }

  /** Waits until every dead letter sent so far is written. */
  @Override
  public void flush() throws InterruptedException, ExecutionException {
    for (Future<RecordMetadata> f : sends) {
      f.get();
    }
    sends.clear();
  }

  /** The record at a position, read again; null when Kafka no longer has it (retention). */
  private ConsumerRecord<byte[], byte[]> readAgain(int partition, long offset) {
    try (OffsetRangeReader reader = new OffsetRangeReader(new KafkaConsumer<>(SpeedLayerJob.kafkaParams(settings)),
        settings.topic, partition, offset, offset + 1, Duration.ofMillis(500), 240)) {
      while (reader.hasNext()) {
        ConsumerRecord<byte[], byte[]> r = reader.next();
        if (r.offset() == offset) {
          return r;
        }
      }
      return null;
    }
  }
}
