package org.lambdadist.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the product's topics where missing: {@code events} (the event bus; its partition
 * count bounds the speed layer's and the archiver's parallelism) and {@code events.rejected}
 * (the speed layer's dead letters). Idempotent: an existing topic is left as it is.
 */
public final class KafkaTopics {
  public static final String EVENTS = "events";
  public static final String REJECTED = "events.rejected";

  private KafkaTopics() {}

  /** Creates {@code topic} with {@code partitions} unless it exists; says which happened. */
  public static String ensure(String bootstrap, String topic, int partitions) throws ExecutionException, InterruptedException {
    Properties p = new Properties();
    p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    try (Admin admin = Admin.create(p)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return "created with " + partitions + " partitions";
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get();
        return "exists with " + d.get(topic).partitions().size() + " partitions";
      }
    }
  }
}
