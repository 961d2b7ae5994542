package org.lambdadist.batch.dedup;

/** The counter of the duplicates job, checked by the tools that run it. */
public enum DuplicateCounters {
  /** Later copies of an event id found. */
  DUPLICATES
}
