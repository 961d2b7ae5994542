package org.lambdadist.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.view.MetricDefinition;
import org.lambdadist.core.view.MetricType;

/**
 * The monoid laws of every metric type, on seeded random inputs (Algebird's BaseProperties):
 * identity, associativity, commutativity, and a serialization round trip that preserves them.
 */
class MonoidLawsTest {
  private static final List<MetricDefinition> METRICS = List.of(
      new MetricDefinition("n", MetricType.COUNT, null),
      new MetricDefinition("s", MetricType.SUM, "v"),
      new MetricDefinition("lo", MetricType.MIN, "v"),
      new MetricDefinition("hi", MetricType.MAX, "v"),
      new MetricDefinition("mean", MetricType.AVG, "v"),
      new MetricDefinition("u", MetricType.DISTINCT, "v"));
  private final RowMonoid monoid = new RowMonoid(METRICS);
  private final SplittableRandom random = new SplittableRandom(20261124L);

  private Object randomValue() {
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> random.nextLong(-1_000, 1_000);
      case 2 -> random.nextLong(); // overflows a long sum
      case 3 -> new BigDecimal(random.nextLong(-100_000, 100_000)).movePointLeft(random.nextInt(5));
      case 4 -> Long.toString(random.nextLong(-50, 50));
      case 5 -> "not a number";
      case 6 -> Boolean.TRUE;
      default -> new BigDecimal("0.1");
    };
  }

  private RowAggregate randomRow() {
    RowAggregate row = monoid.zero();
    int n = random.nextInt(4) == 0 ? 0 : random.nextInt(300);
    for (int i = 0; i < n; i++) {
      Object v = randomValue();
      row.state(0).add(Boolean.TRUE);
      for (int m = 1; m < METRICS.size(); m++) {
        row.state(m).add(v);
      }
    }
    return row;
  }

  private static RowAggregate roundTrip(RowAggregate r) {
    return RowAggregateCodec.decode(RowAggregateCodec.encode(r));
  }

  @Test
  void identity() {
    for (int i = 0; i < 300; i++) {
      RowAggregate a = randomRow();
      assertEquals(a, monoid.plus(monoid.zero(), a));
      assertEquals(a, monoid.plus(a, monoid.zero()));
    }
  }

  @Test
  void associativity() {
    for (int i = 0; i < 300; i++) {
      RowAggregate a = randomRow();
      RowAggregate b = randomRow();
      RowAggregate c = randomRow();
      RowAggregate left = monoid.plus(monoid.plus(a, b), c);
      RowAggregate right = monoid.plus(a, monoid.plus(b, c));
      assertEquals(left, right);
      for (int m = 0; m < left.size(); m++) {
        assertEquals(left.state(m).result(), right.state(m).result());
      }
    }
  }

  @Test
  void commutativity() {
    for (int i = 0; i < 300; i++) {
      RowAggregate a = randomRow();
      RowAggregate b = randomRow();
      assertEquals(monoid.plus(a, b), monoid.plus(b, a));
    }
  }

  @Test
  void plusDoesNotChangeItsArguments() {
    RowAggregate a = randomRow();
    RowAggregate b = randomRow();
    byte[] before = RowAggregateCodec.encode(a);
    monoid.plus(a, b);
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, RowAggregateCodec.encode(a));
    assertEquals(roundTrip(a), a);
  }

  @Test
  void serializationRoundTripPreservesValueAndLaws() {
    for (int i = 0; i < 300; i++) {
      RowAggregate a = randomRow();
      RowAggregate b = randomRow();
      assertEquals(a, roundTrip(a));
      for (int m = 0; m < a.size(); m++) {
        assertEquals(a.state(m).result(), roundTrip(a).state(m).result());
      }
      assertEquals(monoid.plus(a, b), monoid.plus(roundTrip(a), roundTrip(b)));
    }
  }

  @Test
  void foldingInAnySplitGivesTheSameRow() {
    // Crunch's AggregatorsTest: run twice, in two groupings, to prove nothing leaks between runs.
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      values.add(randomValue());
    }
    for (int run = 0; run < 2; run++) {
      RowAggregate whole = monoid.zero();
      RowAggregate left = monoid.zero();
      RowAggregate right = monoid.zero();
      int cut = random.nextInt(values.size());
      for (int i = 0; i < values.size(); i++) {
        for (int m = 1; m < METRICS.size(); m++) {
          whole.state(m).add(values.get(i));
          (i < cut ? left : right).state(m).add(values.get(i));
        }
      }
      assertEquals(whole, monoid.plus(right, left));
    }
  }

  @Test
  void exactSumsAndRenderedTypes() {
    SumState sum = new SumState();
    for (int i = 0; i < 10; i++) {
      sum.add(new BigDecimal("0.1"));
    }
    assertEquals(1.0, sum.result());
    SumState ints = new SumState();
    ints.add(Long.MAX_VALUE);
    ints.add(Long.MAX_VALUE);
    ints.add(-Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, ints.result());
    assertEquals(0L, new SumState().result());
    assertFalse(new SumState().add("abc"));
    assertFalse(new SumState().add(Boolean.FALSE));
    assertTrue(new SumState().add(null));
    ExtremumState min = new ExtremumState(MetricType.MIN);
    min.add(new BigDecimal("2.0"));
    min.add(2L);
    assertEquals(2L, min.result());
    ExtremumState max = new ExtremumState(MetricType.MAX);
    max.add(2L);
    max.add(new BigDecimal("2.0"));
    assertEquals(2L, max.result());
    assertEquals(null, new ExtremumState(MetricType.MAX).result());
    AvgState avg = new AvgState();
    avg.add(1L);
    avg.add(2L);
    assertEquals(1.5, avg.result());
    assertEquals(null, new AvgState().result());
  }

  @Test
  void distinctEstimateIsWithinItsDocumentedBound() {
    for (int n : new int[] {0, 1, 10, 100, 1_000, 10_000, 200_000}) {
      DistinctState whole = new DistinctState();
      DistinctState once = new DistinctState();
      DistinctState a = new DistinctState();
      DistinctState b = new DistinctState();
      for (int i = 0; i < n; i++) {
        whole.add("user-" + i);
        whole.add("user-" + i); // repeats never count
        once.add("user-" + i);
        (i % 3 == 0 ? a : b).add((long) i == 7 ? "user-7" : "user-" + i);
      }
      a.merge(b);
      double bound = n <= DistinctState.EXACT_LIMIT ? 0 : 3 * 1.04 / Math.sqrt(1 << DistinctState.LG_K) * n;
      assertTrue(Math.abs(whole.result().longValue() - n) <= bound, n + " -> " + whole.result());
      assertEquals(once.result(), a.result(), "merge order does not change the estimate");
    }
    DistinctState s = new DistinctState();
    s.add(7L);
    s.add("7");
    s.add(new BigDecimal("7.0"));
    assertEquals(1L, s.result());
  }
}
