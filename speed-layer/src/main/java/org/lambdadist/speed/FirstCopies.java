package org.lambdadist.speed;

import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.streaming.State;
import scala.Tuple2;

/**
 * The speed layer's dedup, as named functions: within a micro-batch the earliest copy of an
 * event id stands for all ({@link Earlier}); across micro-batches the first micro-batch holding
 * an id keeps its copy for the dedup window ({@link InWindow}).
 */
final class FirstCopies {
  private FirstCopies() {}

  /** Accepted arrivals with an event id. */
  static final class HasId implements Function<Arrival, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(Arrival a) {
      return a.hasEventId();
    }
  }

  /** Accepted arrivals without an event id: never duplicates. */
  static final class AcceptedWithoutId implements Function<Arrival, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(Arrival a) {
      return a.accepted() && a.eventId == null;
    }
  }

  /** An arrival keyed by its event id. */
  static final class ById implements PairFunction<Arrival, String, Arrival> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<String, Arrival> call(Arrival a) {
      return new Tuple2<>(a.eventId, a);
    }
  }

  /** Of two copies in one micro-batch, the one that arrived first, standing for both ({@link Arrival#earlier}). */
  static final class Earlier implements Function2<Arrival, Arrival, Arrival> {
    private static final long serialVersionUID = 1L;

    @Override
    public Arrival call(Arrival a, Arrival b) {
      return Arrival.earlier(a, b);
    }
  }

  /**
   * The dedup window: the first micro-batch holding an id keeps its copy (and remembers where it
   * arrived); later copies within the window are duplicates. A batch run again after a restart
   * finds its own copy remembered and keeps it. Null for an id timing out.
   */
  static final class InWindow implements Function3<String, Optional<Arrival>, State<long[]>, Arrival> {
    private static final long serialVersionUID = 1L;

    @Override
    public Arrival call(String id, Optional<Arrival> arrival, State<long[]> seen) {
      if (seen.isTimingOut() || !arrival.isPresent()) {
        return null;
      }
      Arrival a = arrival.get();
      if (seen.exists() && !a.samePosition(seen.get())) {
        return a.asDuplicate();
      }
      seen.update(a.position());
      return a;
    }
  }

  /** Not null. */
  static final class Present implements Function<Arrival, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(Arrival a) {
      return a != null;
    }
  }
}
