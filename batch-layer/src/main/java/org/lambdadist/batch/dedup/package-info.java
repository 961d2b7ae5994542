/**
 * Exact deduplication by {@code event_id} across every epoch a batch version covers: a job that
 * finds the later copies of each id from (id, arrival position) pairs alone, and the lookup the
 * aggregate and attribute mappers use to skip them.
 */
package org.lambdadist.batch.dedup;
