package org.lambdadist.core.aggregate;

import java.util.Arrays;
import java.util.List;
import org.lambdadist.core.view.MetricDefinition;

/**
 * The aggregate of one view row: one {@link MetricState} per metric of the view, in the
 * view's metric order. Mutable; {@link #merge} is the row monoid's {@code plus} in place.
 */
public final class RowAggregate {
  private final MetricState[] states;

  public RowAggregate(MetricState[] states) {
    this.states = states;
  }

  /** The zero row for these metrics. */
  public static RowAggregate zero(List<MetricDefinition> metrics) {
    MetricState[] states = new MetricState[metrics.size()];
    for (int i = 0; i < states.length; i++) {
      states[i] = MetricState.zero(metrics.get(i).type());
    }
    return new RowAggregate(states);
  }

  public int size() {
    return states.length;
  }

  public MetricState state(int i) {
    return states[i];
  }

  /** Adds every event of {@code other} to this row; both must have the same metric types. */
  public void merge(RowAggregate other) {
    if (other.states.length != states.length) {
      throw new IllegalArgumentException("rows of different shapes: " + states.length + " and " + other.states.length + " metrics");
    }
    for (int i = 0; i < states.length; i++) {
      if (states[i].type() != other.states[i].type()) {
        throw new IllegalArgumentException("metric " + i + " is " + states[i].type() + " here and " + other.states[i].type() + " there");
      }
      states[i].merge(other.states[i]);
    }
  }

  public RowAggregate copy() {
    MetricState[] copy = new MetricState[states.length];
    for (int i = 0; i < states.length; i++) {
      copy[i] = states[i].copy();
    }
    return new RowAggregate(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowAggregate r && Arrays.equals(r.states, states);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(states);
  }

  @Override
  public String toString() {
    return Arrays.toString(states);
  }
}
