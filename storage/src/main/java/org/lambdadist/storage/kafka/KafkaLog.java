package org.lambdadist.storage.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lambdadist.core.config.LambdaKeys;
import org.lambdadist.core.epoch.PartitionOffsets;
import org.lambdadist.storage.UserError;
import org.lambdadist.storage.settings.LambdaSettings;

/** The Kafka log as batch tools read it: consumers without a group, and where a topic ends. */
public final class KafkaLog {
  private KafkaLog() {}

  /** A group-less consumer of {@code lambda.kafka.bootstrap}. */
  public static KafkaConsumer<byte[], byte[]> consumer(Configuration conf) {
    return consumer(conf, new Properties());
  }

  /** A group-less consumer of {@code lambda.kafka.bootstrap} with {@code extra} client settings on top. */
  public static KafkaConsumer<byte[], byte[]> consumer(Configuration conf, Properties extra) {
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LambdaSettings.get(conf, LambdaKeys.KAFKA_BOOTSTRAP));
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    // As the speed layer: only committed transactions, and end offsets are the last stable ones.
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putAll(LambdaKeys.kafkaClientSettings(conf));
    p.putAll(extra);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Fails in one line unless the configured Kafka answers within {@code lambda.connect.timeout}. */
  public static void requireReachable(Configuration conf) throws UserError {
    org.lambdadist.storage.settings.Reachability.requireKafka(conf, LambdaSettings.get(conf, LambdaKeys.KAFKA_BOOTSTRAP),
        LambdaKeys.kafkaClientSettings(conf));
  }

  /** The end offsets of every partition of {@code topic}; a missing topic is a user error. */
  public static PartitionOffsets endOffsets(KafkaConsumer<byte[], byte[]> kafka, String topic) throws UserError {
    List<PartitionInfo> infos = kafka.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new UserError("Kafka topic " + topic + " does not exist (" + LambdaKeys.KAFKA_TOPIC + ")");
    }
    List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
    Map<Integer, Long> end = new java.util.HashMap<>();
    kafka.endOffsets(tps).forEach((tp, o) -> end.put(tp.partition(), o));
    return PartitionOffsets.of(end);
  }
}
