/**
 * The speed layer: a Spark Streaming (DStream) job reading the {@code events} topic with the
 * Kafka direct stream, computing every view for the events of the current arrival epoch with
 * {@code core}, and merging them into the realtime cells of HBase, exactly once, with its
 * offsets stored beside its output, one Spark job per micro-batch. It only adapts {@code core}:
 * parsing, bucketing, monoids, the dedup window, epochs and codecs all come from there.
 */
package org.lambdadist.speed;
