/**
 * The {@code aggregate} tool: two MapReduce jobs that recompute every view from the master
 * dataset. Job 1 parses, quarantines rejects, deduplicates by {@code event_id} (first arrival
 * wins) and aggregates each reducer's events in memory; job 2 merges the partial rows with a
 * combiner into sorted view files. Mappers and reducers only adapt {@code core}.
 */
package org.lambdadist.batch.aggregate;
