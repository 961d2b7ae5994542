package org.lambdadist.core.aggregate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/**
 * Folds events into the rows of every view at every granularity: the one place that decides
 * which rows an event touches and what it adds to them. Used for in-memory aggregation by the
 * batch layer, the speed layer and the test oracles alike. Not thread-safe.
 */
public final class AggregationTable {
  private final List<ViewDefinition> views;
  private final Map<ViewKey, RowAggregate> rows = new HashMap<>();

  public AggregationTable(List<ViewDefinition> views) {
    this.views = List.copyOf(views);
  }

  /**
   * Adds one event to every row it belongs to. Returns how many metric values of the event
   * were unusable (counted once per view and metric, whatever the number of granularities);
   * the event still counts for its other metrics.
   */
  public int add(Event event) {
    int bad = 0;
    for (ViewDefinition view : views) {
      if (!view.filter().matches(event)) {
        continue;
      }
      List<String> dims = view.dimensionValues(event);
      List<MetricDefinition> metrics = view.metrics();
      List<Granularity> granularities = view.granularities();
      for (int g = 0; g < granularities.size(); g++) {
        Granularity granularity = granularities.get(g);
        ViewKey key = new ViewKey(view.name(), dims, granularity, granularity.bucketStart(event.timestampMillis()));
        RowAggregate row = rows.get(key);
        if (row == null) {
          row = RowAggregate.zero(metrics);
          rows.put(key, row);
        }
        for (int m = 0; m < metrics.size(); m++) {
          String field = metrics.get(m).field();
          Object value = field == null ? Boolean.TRUE : event.field(field);
          if (!row.state(m).add(value) && g == 0) {
            bad++;
          }
        }
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
