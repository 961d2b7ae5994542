package org.lambdadist.core.view;

import java.util.Objects;

/**
 * One metric of a view: its output name, its type and the (dotted) field it reads. {@code
 * field} is null only for a {@code count} of all events.
 */
public record MetricDefinition(String name, MetricType type, String field) {
  public MetricDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
