package org.lambdadist.core.aggregate;

import java.util.List;
import org.lambdadist.core.view.MetricDefinition;

/** The pure monoid over a view's rows: {@code plus} copies its left side, then merges. */
public final class RowMonoid implements Monoid<RowAggregate> {
  private final List<MetricDefinition> metrics;

  public RowMonoid(List<MetricDefinition> metrics) {
    this.metrics = List.copyOf(metrics);
  }

  @Override
  public RowAggregate zero() {
    return RowAggregate.zero(metrics);
  }

  @Override
  public RowAggregate plus(RowAggregate left, RowAggregate right) {
    RowAggregate sum = left.copy();
    sum.merge(right);
    return sum;
  }
}
