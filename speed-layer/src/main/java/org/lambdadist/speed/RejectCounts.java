package org.lambdadist.speed;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Rejected records of one micro-batch counted per {@link org.lambdadist.core.event.RejectReason}
 * name, on the executors, while the dead letters are sent: the per-reason figures reach the
 * driver with the tasks' results, as the graph's other counts do, without another pass over the
 * batch. Updated inside an action only, so a retried task counts once.
 */
final class RejectCounts extends AccumulatorV2<String, Map<String, Long>> {
  private static final long serialVersionUID = 1L;
  private final TreeMap<String, Long> counts = new TreeMap<>();

  @Override
  public boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public RejectCounts copy() {
    RejectCounts c = new RejectCounts();
    c.counts.putAll(counts);
    return c;
  }

  @Override
  public void reset() {
    counts.clear();
  }

  /** One more record rejected for {@code reason}. */
  @Override
  public void add(String reason) {
    counts.merge(reason, 1L, Long::sum);
  }

  @Override
  public void merge(AccumulatorV2<String, Map<String, Long>> other) {
    other.value().forEach((reason, n) -> counts.merge(reason, n, Long::sum));
  }

  /** Records rejected per reason name (reasons without any absent). */
  @Override
  public Map<String, Long> value() {
    return Collections.unmodifiableMap(counts);
  }
}
