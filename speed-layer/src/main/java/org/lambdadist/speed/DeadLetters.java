package org.lambdadist.speed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends rejected records of one task to the dead-letter topic, each with headers {@code reason},
 * {@code message} and {@code source} ({@code topic/partition/offset}), and waits for every send
 * in {@link #flush}: a dead letter that cannot be written fails the task (infrastructure), never
 * lost silently. No record can make a send fail: a value over {@value #MAX_VALUE_BYTES} bytes is
 * cut there (header {@code truncated} holds its full length, under Kafka's default message size
 * limit) and a record without a valid timestamp is sent without one.
 */
final class DeadLetters {
  /** The longest value a dead letter carries. */
  static final int MAX_VALUE_BYTES = 512 * 1024;

  private final SpeedSettings settings;
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;

  DeadLetters(SpeedSettings settings) {
    this.settings = settings;
  }

  void send(int partition, long offset, long timestampMillis, byte[] value, String reason, String message) {
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

  /** Waits until every dead letter sent so far is written; returns how many. */
  int flush() throws InterruptedException, ExecutionException {
    for (Future<RecordMetadata> f : sends) {
      f.get();
    }
    int n = sends.size();
    sends.clear();
    return n;
  }
}
