/**
 * The Kafka log as the product reads it, the one way every layer does: group-less consumers of
 * {@code lambda.kafka.bootstrap} under {@code read_committed}, where a topic ends (the batch
 * tools, {@code lambda status}, the API's lag figure), and exact offset ranges, whose gaps
 * (transaction markers, aborted records, compaction) are stepped over by the consumer's
 * position, never waited for (the archiver and the speed layer).
 */
package org.lambdadist.storage.kafka;
