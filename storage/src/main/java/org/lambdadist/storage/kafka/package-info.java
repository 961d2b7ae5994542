/**
 * Reading exact offset ranges of the Kafka log, the one way the archiver and the speed layer do
 * it: gaps (transaction markers, aborted records under {@code read_committed}, compaction) are
 * stepped over by the consumer's position, never waited for.
 */
package org.lambdadist.storage.kafka;
