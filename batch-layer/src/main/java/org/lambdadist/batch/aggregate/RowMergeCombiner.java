package org.lambdadist.batch.aggregate;

/** Job 2 combiner: the same merge as {@link RowMergeReducer}, without counting final rows. */
public class RowMergeCombiner extends RowMergeReducer {
  @Override
  protected boolean countsRows() {
    return false;
  }
}
