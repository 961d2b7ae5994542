package org.lambdadist.core.aggregate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.MetricType;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * Folds events into the rows of every view at every granularity: the one place that decides
 * which rows an event touches and what it adds to them. Used for in-memory aggregation by the
 * batch layer, the speed layer and the test oracles alike. Not thread-safe.
 *
 * <p>A metric value that {@link #isMetricValue} refuses (not a number, or a number beyond the
 * configured {@link EventLimits} of a {@code sum}, {@code min}, {@code max} or {@code avg}) is a
 * bad value: counted, left out of that metric, the event still counted by the others.
 */
public final class AggregationTable {
  private final List<ViewDefinition> views;
  private final EventLimits limits;
  private final Map<ViewKey, RowAggregate> rows = new HashMap<>();
  /** Reused by {@link #add}: the keys of one event, built before any row is changed. */
  private ViewKey[] pendingKeys = new ViewKey[16];

  /** A table with the default limits. */
  public AggregationTable(List<ViewDefinition> views) {
    this(views, EventLimits.defaults());
  }

  public AggregationTable(List<ViewDefinition> views, EventLimits limits) {
    this.views = List.copyOf(views);
    this.limits = limits;
  }

  /**
   * True when {@code value} may be added to a metric of this type: any non-null value for
   * {@code count} and {@code distinct}; for the numeric metrics a number (or numeric string)
   * within the limits' range and scale. Null (a missing field) is never a bad value.
   */
  public static boolean isMetricValue(MetricType type, Object value, EventLimits limits) {
    return value == null || type == MetricType.COUNT || type == MetricType.DISTINCT || limits.isMetricValue(value);
  }

  /**
   * Adds one event to every row it belongs to. Returns how many metric values of the event
   * were unusable (counted once per view and metric, whatever the number of granularities);
   * the event still counts for its other metrics.
   *
   * <p>Every key is built and every value judged before any row changes, so an event either
   * changes all its rows or (should building a key fail) none.
   */
  public int add(Event event) {
    int bad = 0;
    int pending = 0;
    for (ViewDefinition view : views) {
      if (!view.filter().matches(event)) {
        continue;
      }
      String[] dims = view.dimensionArray(event); // shared by the keys of every granularity
      for (Granularity granularity : view.granularities()) {
        if (pending == pendingKeys.length) {
          pendingKeys = java.util.Arrays.copyOf(pendingKeys, pending * 2);
        }
        pendingKeys[pending++] = ViewKey.sharing(view.name(), dims, granularity,
            granularity.bucketStart(event.timestampMillis()));
      }
    }
    int p = 0;
    for (ViewDefinition view : views) {
      if (p == pending || !pendingKeys[p].view().equals(view.name())) {
        continue;
      }
      List<MetricDefinition> metrics = view.metrics();
      Object[] values = new Object[metrics.size()];
      for (int m = 0; m < metrics.size(); m++) {
        String field = metrics.get(m).field();
        Object value = field == null ? Boolean.TRUE : event.field(field);
        if (isMetricValue(metrics.get(m).type(), value, limits)) {
          values[m] = value;
        } else {
          bad++;
        }
      }
      for (int g = 0; g < view.granularities().size(); g++, p++) {
        ViewKey key = pendingKeys[p];
        RowAggregate row = rows.get(key);
        if (row == null) {
          row = RowAggregate.zero(metrics);
          rows.put(key, row);
        }
        for (int m = 0; m < values.length; m++) {
          if (values[m] != null && !row.state(m).add(values[m]) && g == 0) {
            bad++; // refused by the state itself (beyond the ceilings): still counted once
          }
        }
        pendingKeys[p] = null;
      }
    }
    return bad;
  }

  /** Merges a partial aggregate into its row. */
  public void merge(ViewKey key, RowAggregate partial) {
    RowAggregate row = rows.get(key);
    if (row == null) {
      rows.put(key, partial.copy());
    } else {
      row.merge(partial);
    }
  }

  public int size() {
    return rows.size();
  }

  /** The rows so far; live, in hash order (the same in every JVM). */
  public Map<ViewKey, RowAggregate> rows() {
    return rows;
  }

  public void clear() {
    rows.clear();
  }
}
