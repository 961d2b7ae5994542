package org.lambdadist.core.merge;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.MetricType;

/**
 * The merge of a key's batch rows and realtime cells into the exact answer.
 *
 * <p>The Kafka log is cut into arrival epochs. The current batch version covers every event
 * of epochs {@code ≤ E} (its coverage); the speed layer keeps, per view row and epoch, the
 * aggregate of that epoch's events as one cell. So every accepted event is in exactly one of:
 * the batch row (its epoch ≤ E), or the realtime cell of its epoch (> E). The answer for a
 * bucket is therefore {@code batch ⊕ Σ cells with epoch > E}; cells with epoch ≤ E are the
 * same events the batch already holds and are ignored (they expire by TTL). Because the
 * boundary is by arrival, not event time, a late event is counted once whichever side has it.
 *
 * <p>Algorithm, per bucket: start from the batch row or the zero row; add, with the row
 * monoid, each realtime cell whose epoch is greater than E; leave the bucket out when neither
 * contributed. A row whose metric types differ from the view's is an inconsistent store (a
 * view changed without a reload): the merge fails loudly rather than return a wrong sum.
 */
public final class ViewMerge {
  private ViewMerge() {}

  /**
   * Merges one series.
   *
   * @param batch batch rows by bucket start (epochs ≤ {@code coveredThrough})
   * @param realtime realtime cells by bucket start, then by epoch
   * @param coveredThrough the last epoch the batch version covers (−1: no batch version yet)
   * @return merged rows by bucket start, empty buckets left out
   */
  public static NavigableMap<Long, RowAggregate> mergeSeries(List<MetricDefinition> metrics,
      Map<Long, RowAggregate> batch, Map<Long, ? extends Map<Long, RowAggregate>> realtime, long coveredThrough) {
    NavigableMap<Long, RowAggregate> merged = new TreeMap<>();
    for (Map.Entry<Long, RowAggregate> b : batch.entrySet()) {
      merged.put(b.getKey(), checked(metrics, b.getValue(), "batch row", b.getKey(), null).copy());
    }
    for (Map.Entry<Long, ? extends Map<Long, RowAggregate>> bucket : realtime.entrySet()) {
      for (Map.Entry<Long, RowAggregate> cell : bucket.getValue().entrySet()) {
        if (cell.getKey() <= coveredThrough) {
          continue;
        }
        RowAggregate value = checked(metrics, cell.getValue(), "realtime cell", bucket.getKey(), cell.getKey());
        RowAggregate row = merged.get(bucket.getKey());
        if (row == null) {
          merged.put(bucket.getKey(), value.copy());
        } else {
          row.merge(value);
        }
      }
    }
    return merged;
  }

  /**
   * The answer when no realtime cell can be newer than the batch: the batch rows themselves,
   * checked against the view but not copied (they are shared, e.g. with a cache of immutable
   * batch rows: read them, never merge into them). A sorted map is returned as it is.
   */
  public static NavigableMap<Long, RowAggregate> batchOnly(List<MetricDefinition> metrics,
                                                           Map<Long, RowAggregate> batch) {
    // forEach: no entry objects, not even through an unmodifiable view's wrappers.
    batch.forEach((bucket, row) -> checked(metrics, row, "batch row", bucket, null));
    if (batch instanceof NavigableMap<Long, RowAggregate> sorted) {
      return sorted; // already sorted (and, from a cache, already unmodifiable): no copy, no wrapper
    }
    return Collections.unmodifiableNavigableMap(new TreeMap<>(batch));
  }

  private static boolean typesMatch(List<MetricDefinition> metrics, RowAggregate row) {
    for (int i = 0; i < metrics.size(); i++) {
      if (row.state(i).type() != metrics.get(i).type()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The row, once checked to have the view's metrics; {@code kind}, {@code bucket} and
   * {@code epoch} (null: none) name it in the error, which is built only when it is thrown.
   */
  private static RowAggregate checked(List<MetricDefinition> metrics, RowAggregate row, String kind, long bucket,
                                      Long epoch) {
    if (row.size() == metrics.size() && typesMatch(metrics, row)) {
      return row;
    }
    String what = kind + " at " + bucket + (epoch == null ? "" : " epoch " + epoch);
    if (row.size() != metrics.size()) {
      throw new IllegalStateException(what + " has " + row.size() + " metrics, the view has " + metrics.size()
          + ": the store and the view definitions disagree; reload the batch view");
    }
    for (int i = 0; i < metrics.size(); i++) {
      MetricType expected = metrics.get(i).type();
      if (row.state(i).type() != expected) {
        throw new IllegalStateException(what + " metric " + i + " is " + row.state(i).type().label() + ", the view says "
            + expected.label() + ": the store and the view definitions disagree; reload the batch view");
      }
    }
    return row;
  }
}
