package org.lambdadist.batch.aggregate;

/**
 * Data-quality counters of an aggregate run, checked after the jobs: records read = accepted +
 * rejected, and accepted = aggregated + duplicates. Rejections by reason are in the group
 * {@link #REJECTED_GROUP}, one counter per {@code RejectReason}.
 */
public enum AggregateCounters {
  RECORDS_READ,
  EVENTS_ACCEPTED,
  EVENTS_REJECTED,
  DUPLICATES,
  EVENTS_AGGREGATED,
  BAD_METRIC_VALUES,
  PARTIAL_ROWS,
  VIEW_ROWS;

  public static final String REJECTED_GROUP = "lambda.rejected";
}
