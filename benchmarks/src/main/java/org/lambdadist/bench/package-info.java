/**
 * Peer programs for the project's benchmarks: the same work done with another engine, so a
 * benchmark's number for the project has something to be compared with. Nothing here is part of
 * the product, and no other module depends on this one.
 *
 * <p>{@link org.lambdadist.bench.SparkSqlRollups} is the Spark SQL peer of the batch benchmark
 * ({@code scripts/bench-batch}: {@code lambda batch aggregate} with
 * {@code conf/examples/bench/views.json}): it reads the same generated JSON lines, keeps clicks
 * and conversions, drops duplicate {@code event_id}s and computes the same two rollups (campaign
 * by channel, per minute and per day, with count, sum, min, max, avg and approximate distinct
 * users), written plainly by Spark on {@code local[2]}. The module is built apart from the layers
 * so that Spark SQL (which the product does not use) never reaches a product classpath; the
 * build writes its runtime classpath to {@code target/classpath.txt} for the benchmark script.
 */
package org.lambdadist.bench;
