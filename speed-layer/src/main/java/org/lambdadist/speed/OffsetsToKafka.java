package org.lambdadist.speed;

import java.io.Serializable;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of committing a micro-batch's processed offsets to the speed layer's Kafka
 * consumer group, after meta committed them. The commit only lets Kafka's own tools
 * ({@code kafka-consumer-groups.sh --describe}) see the lag: the speed layer resumes from meta,
 * so a failed commit is a warning and a count in the metrics, never a failed micro-batch.
 * Serializable: the direct stream keeps it, and Spark checkpoints the stream.
 */
final class OffsetsToKafka implements OffsetCommitCallback, Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(OffsetsToKafka.class);

  @Override
  public void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception error) {
    if (error != null) {
      LOG.warn("committing the processed offsets {} to Kafka failed (monitoring only: the speed layer's offsets"
          + " in meta are unaffected): {}", offsets, error.toString());
    }
    SpeedResources.metrics().ifPresent(m -> m.offsetsCommitted(error == null));
  }
}
