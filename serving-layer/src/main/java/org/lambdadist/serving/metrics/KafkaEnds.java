package org.lambdadist.serving.metrics;

import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.kafka.KafkaLog;
import org.lambdadist.storage.settings.LambdaSettings;

/**
 * Where the event topic ends (its last stable offsets, as a {@code read_committed} reader such
 * as the speed layer sees them), read by {@link StackGauges}' one background thread: the
 * speed layer's lag is these minus the offsets meta says it committed. One group-less consumer,
 * made at the first reading and kept; every request bounded by a short timeout.
 */
final class KafkaEnds implements AutoCloseable {
  private static final int TIMEOUT_MS = 3_000;
  private final Configuration conf;
  private final String topic;
  private KafkaConsumer<byte[], byte[]> consumer;

  KafkaEnds(Configuration conf) {
    this.conf = conf;
    this.topic = LambdaSettings.get(conf, LambdaKeys.KAFKA_TOPIC);
  }

  /** The topic's end offsets now; a missing topic is a {@link UserError}, an unreachable Kafka a runtime error. */
  PartitionOffsets read() throws UserError {
    if (consumer == null) {
      Properties quick = new Properties();
      quick.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_MS));
      quick.setProperty(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_MS));
      quick.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "lambda-serving-lag");
      consumer = KafkaLog.consumer(conf, quick);
    }
    return KafkaLog.endOffsets(consumer, topic);
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
    }
  }
}
