package org.lambdadist.core.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lambdadist.core.event.Event;
import org.lambdadist.core.event.FieldValues;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.event.EventFilter;

/**
 * One view: a filter, the dimensions that key its rows, its granularities and its metrics.
 * A row of the view is one (dimension values, granularity, bucket); a missing dimension field
 * is a null dimension value, which is a value like any other.
 */
public record ViewDefinition(
    String name,
    EventFilter filter,
    List<String> dimensions,
    List<Granularity> granularities,
    List<MetricDefinition> metrics) {

  public ViewDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(filter, "filter");
    dimensions = List.copyOf(dimensions);
    granularities = List.copyOf(granularities);
    metrics = List.copyOf(metrics);
  }

  /** The event's dimension values in definition order (nulls for missing fields). */
  /** The canonical dimension values of an event, in dimension order, as a new array. */
  public String[] dimensionArray(Event event) {
    String[] values = new String[dimensions.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = FieldValues.canonical(event.field(dimensions.get(i)));
    }
    return values;
  }

  public List<String> dimensionValues(Event event) {
    List<String> values = new ArrayList<>(dimensions.size());
    for (String d : dimensions) {
      values.add(FieldValues.canonical(event.field(d)));
    }
    return values;
  }

  public boolean hasGranularity(Granularity g) {
    return granularities.contains(g);
  }
}
