package org.lambdadist.batch.generate;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lambdadist.storage.UserError;

/**
 * Produces lines to a Kafka topic, one message each (no key: the producer spreads them over
 * the partitions), at most {@code rate} per second when {@code rate > 0}. Every send is
 * acknowledged before it returns; a failed send ends the run with the broker's error.
 */
final class KafkaLines {
  private final String bootstrap;
  private final String topic;
  private final long rate;
  private final java.util.Map<String, String> clientSettings;

  /** {@code clientSettings}: extra Kafka producer settings ({@code lambda.kafka.client.*}). */
  KafkaLines(String bootstrap, String topic, long rate, java.util.Map<String, String> clientSettings) {
    this.clientSettings = clientSettings;
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.rate = rate;
  }

  long send(Iterator<String> lines) throws UserError, InterruptedException {
    Properties p = new Properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    p.putAll(clientSettings);
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long startNanos = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      while (lines.hasNext() && failure.get() == null) {
        producer.send(new ProducerRecord<>(topic, lines.next().getBytes(StandardCharsets.UTF_8)), (meta, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
        sent++;
        if (rate > 0) {
          long dueNanos = startNanos + TimeUnit.SECONDS.toNanos(sent) / rate;
          long wait = dueNanos - System.nanoTime();
          if (wait > 1_000_000) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
      }
      producer.flush();
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new UserError("cannot produce to " + bootstrap + " topic " + topic + ": " + e.getMessage(), e);
    }
    if (failure.get() != null) {
      throw new UserError("producing to " + bootstrap + " topic " + topic + " failed after " + sent + " events: "
          + failure.get().getMessage(), failure.get());
    }
    return sent;
  }
}
