package org.lambdadist.core.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lambdadist.core.aggregate.CountState;
import org.lambdadist.core.aggregate.DistinctState;
import org.lambdadist.core.aggregate.MetricState;
import org.lambdadist.core.aggregate.RowAggregate;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.codec.ViewKeyCodec;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.MetricType;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * Compares the speed layer's realtime cells with the batch's per-epoch partial rows, row by row,
 * and adds the comparisons up per view into a {@link ReconciliationReport}. Both sides hold, per
 * view row and arrival epoch, the aggregate of that epoch's events, so on the same events they
 * hold the same aggregate.
 *
 * <p>The rules, per row (a side that lacks the row holds the empty row):
 * <ul>
 *   <li>{@code count}, {@code sum}, {@code min}, {@code max} and {@code avg} are exact: any
 *       difference of their states is a difference;
 *   <li>{@code distinct} is exact while both sides hold an exact set (at most
 *       {@link DistinctState#EXACT_LIMIT} values), and is then compared as the exact metrics;
 *       once either side holds a HyperLogLog sketch, two estimates of the same values may differ
 *       by the sketch's error, so a difference counts only beyond {@link #distinctBound}: the
 *       given number of the sketch's standard errors ({@link DistinctState#RELATIVE_STANDARD_ERROR})
 *       of the larger estimate;
 *   <li>a row differs when any metric differs, or when one side lacks it.
 * </ul>
 * Events counted by one side only are read from the view's {@code count} of all events (no
 * field) on the rows of one granularity (the view's first), so each event is counted once. Not
 * thread-safe: one reconciler per run.
 */
public final class Reconciler {
  private final ViewCatalog views;
  private final double distinctSigmas;
  private final Map<String, Tally> tallies = new TreeMap<>();

  /**
   * @param views the definitions the batch version was computed with (metric names; the
   *     granularity on which events are counted)
   * @param distinctSigmas the {@code distinct} tolerance in standard errors of the sketch (> 0)
   */
  public Reconciler(ViewCatalog views, double distinctSigmas) {
    if (!(distinctSigmas > 0)) {
      throw new IllegalArgumentException("the distinct tolerance must be a positive number of standard errors: "
          + distinctSigmas);
    }
    this.views = views;
    this.distinctSigmas = distinctSigmas;
  }

  /**
   * The largest difference of two {@code distinct} answers that two sketches of the same values
   * may show: 0 while both are exact, else {@code sigmas} standard errors of the larger estimate.
   */
  public static double distinctBound(DistinctState a, DistinctState b, double sigmas) {
    if (a.isExact() && b.isExact()) {
      return 0;
    }
    return sigmas * DistinctState.RELATIVE_STANDARD_ERROR * Math.max(a.estimate(), b.estimate());
  }

  /**
   * Compares one row in its encoded form, as both layers store it: the {@link ViewKeyCodec} key
   * and {@link RowAggregateCodec} values (null for the side that lacks the row).
   */
  public void compareEncoded(byte[] viewKey, byte[] speedCell, byte[] batchRow) {
    compare(ViewKeyCodec.decode(viewKey),
        speedCell == null ? null : RowAggregateCodec.decode(speedCell),
        batchRow == null ? null : RowAggregateCodec.decode(batchRow));
  }

  /** Compares one view row of one epoch: the speed layer's aggregate and the batch's (either null, not both). */
  public void compare(ViewKey key, RowAggregate speed, RowAggregate batch) {
    if (speed == null && batch == null) {
      throw new IllegalArgumentException("nothing to compare for " + key);
    }
    ViewDefinition view = views.view(key.view());
    RowAggregate present = speed != null ? speed : batch;
    Tally tally = tallies.computeIfAbsent(key.view(), name -> new Tally(name, view, present));
    tally.rows++;
    if (speed == null) {
      tally.batchOnly++;
    } else if (batch == null) {
      tally.speedOnly++;
    }
    boolean differs = speed == null || batch == null;
    if ((speed != null && !tally.shapeOf(speed)) || (batch != null && !tally.shapeOf(batch))) {
      // Rows of another shape than the view (definitions changed under the store): no metric
      // can be compared, the row is a difference.
      tally.differing++;
      return;
    }
    for (int i = 0; i < present.size(); i++) {
      MetricState s = speed == null ? MetricState.zero(present.state(i).type()) : speed.state(i);
      MetricState b = batch == null ? MetricState.zero(present.state(i).type()) : batch.state(i);
      differs |= tally.metrics.get(i).compare(s, b, distinctSigmas);
    }
    if (tally.eventsMetric >= 0 && view != null && key.granularity() == tally.eventsGranularity) {
      long s = speed == null ? 0 : ((CountState) speed.state(tally.eventsMetric)).count();
      long b = batch == null ? 0 : ((CountState) batch.state(tally.eventsMetric)).count();
      tally.speedOnlyEvents += Math.max(0, s - b);
      tally.batchOnlyEvents += Math.max(0, b - s);
    }
    if (differs) {
      tally.differing++;
    }
  }

  /** The report of every row compared so far, views in name order. */
  public ReconciliationReport report(String version, List<Long> epochs, String at, long millis) {
    List<ViewReconciliation> out = new ArrayList<>();
    for (Tally t : tallies.values()) {
      List<MetricDifference> metrics = new ArrayList<>();
      for (MetricTally m : t.metrics) {
        metrics.add(new MetricDifference(m.name, m.type.label(), m.differing, m.withinBound, m.largest));
      }
      boolean events = t.eventsMetric >= 0;
      out.add(new ViewReconciliation(t.view, t.rows, t.differing, t.speedOnly, t.batchOnly,
          events ? t.speedOnlyEvents : null, events ? t.batchOnlyEvents : null, metrics));
    }
    return new ReconciliationReport(version, epochs, at, millis, distinctSigmas, null, out);
  }

  /** One view's running counts. */
  private static final class Tally {
    final String view;
    final List<MetricType> shape = new ArrayList<>();
    final List<MetricTally> metrics = new ArrayList<>();
    final int eventsMetric;
    final Granularity eventsGranularity;
    long rows;
    long differing;
    long speedOnly;
    long batchOnly;
    long speedOnlyEvents;
    long batchOnlyEvents;

    Tally(String view, ViewDefinition definition, RowAggregate first) {
      this.view = view;
      List<MetricDefinition> defined = definition == null ? List.of() : definition.metrics();
      boolean named = defined.size() == first.size();
      int events = -1;
      for (int i = 0; i < first.size(); i++) {
        MetricType type = first.state(i).type();
        shape.add(type);
        boolean matches = named && defined.get(i).type() == type;
        metrics.add(new MetricTally(matches ? defined.get(i).name() : "#" + i, type));
        if (events < 0 && matches && type == MetricType.COUNT && defined.get(i).field() == null) {
          events = i;
        }
      }
      this.eventsMetric = events;
      this.eventsGranularity = definition == null || definition.granularities().isEmpty() ? null
          : definition.granularities().get(0);
    }

    boolean shapeOf(RowAggregate row) {
      if (row.size() != shape.size()) {
        return false;
      }
      for (int i = 0; i < shape.size(); i++) {
        if (row.state(i).type() != shape.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** One metric's running counts. */
  private static final class MetricTally {
    final String name;
    final MetricType type;
    long differing;
    long withinBound;
    double largest;

    MetricTally(String name, MetricType type) {
      this.name = name;
      this.type = type;
    }

    /** Compares the two states; true when they differ beyond the metric's tolerance. */
    boolean compare(MetricState speed, MetricState batch, double sigmas) {
      double difference = Math.abs(value(speed.result()).subtract(value(batch.result())).doubleValue());
      boolean beyond;
      if (type == MetricType.DISTINCT) {
        DistinctState s = (DistinctState) speed;
        DistinctState b = (DistinctState) batch;
        double estimateDifference = Math.abs(s.estimate() - b.estimate());
        double bound = distinctBound(s, b, sigmas);
        beyond = bound == 0 ? !s.equals(b) : estimateDifference > bound;
        if (!beyond && estimateDifference > 0) {
          withinBound++;
        }
      } else {
        beyond = !speed.equals(batch);
      }
      if (beyond) {
        differing++;
      }
      largest = Math.max(largest, difference);
      return beyond;
    }

    private static BigDecimal value(Number n) {
      if (n == null) {
        return BigDecimal.ZERO;
      }
      if (n instanceof Long l) {
        return BigDecimal.valueOf(l);
      }
      double d = n.doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d) : BigDecimal.ZERO;
    }
  }
}
