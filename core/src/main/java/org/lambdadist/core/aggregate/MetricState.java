package org.lambdadist.core.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.lambdadist.core.view.MetricType;

/**
 * The mutable aggregate of one metric over some events. {@link #merge} is the monoid's
 * {@code plus} done in place (the hot path of every layer); {@link MetricMonoid} gives the
 * pure form. A new state is the monoid's zero.
 */
public abstract sealed class MetricState
    permits CountState, SumState, ExtremumState, AvgState, DistinctState {

  public abstract MetricType type();

  /**
   * Adds one event's value of the metric's field ({@code null} when the event lacks it, which
   * is not an error). Returns false, changing nothing, when the value cannot be used by this
   * metric (a non-numeric value for {@code sum}, say): the caller counts it as a bad value.
   */
  public abstract boolean add(Object value);

  /** Adds every event of {@code other} (same type) to this state. */
  public abstract void merge(MetricState other);

  public abstract MetricState copy();

  /** Writes the state's body (without the type tag). */
  public abstract void write(DataOutput out) throws IOException;

  /**
   * The metric's value for rendering: a {@link Long}, a {@link Double} or null (no values).
   */
  public abstract Number result();

  /** A zero state of this type. */
  public static MetricState zero(MetricType type) {
    return switch (type) {
      case COUNT -> new CountState();
      case SUM -> new SumState();
      case MIN -> new ExtremumState(MetricType.MIN);
      case MAX -> new ExtremumState(MetricType.MAX);
      case AVG -> new AvgState();
      case DISTINCT -> new DistinctState();
    };
  }

  /** Reads a state body written by {@link #write}. */
  public static MetricState read(MetricType type, DataInput in) throws IOException {
    return switch (type) {
      case COUNT -> CountState.readBody(in);
      case SUM -> SumState.readBody(in);
      case MIN, MAX -> ExtremumState.readBody(type, in);
      case AVG -> AvgState.readBody(in);
      case DISTINCT -> DistinctState.readBody(in);
    };
  }

  @Override
  public String toString() {
    return type().label() + "=" + result();
  }
}
