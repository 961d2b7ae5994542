package org.lambdadist.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.codec.RowAggregateCodec;

/**
 * The three promises of {@code distinct}, checked against exact sets on seeded data: never
 * above the events carrying the field, exact up to {@link DistinctState#EXACT_LIMIT} through
 * merges and encoding, and within the published error bound above it.
 */
class DistinctStateTest {
  private static final double RSE = 1.04 / Math.sqrt(1 << DistinctState.LG_K);

  /** Splits values into random parts, each aggregated alone, encoded, decoded and merged in random order. */
  private static DistinctState viaPartsAndCodec(List<String> values, int parts, Random random) {
    List<DistinctState> states = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      states.add(new DistinctState());
    }
    for (String v : values) {
      states.get(random.nextInt(parts)).add(v);
    }
    Collections.shuffle(states, random);
    DistinctState total = new DistinctState();
    for (DistinctState s : states) {
      total.merge(roundTrip(s));
    }
    return roundTrip(total);
  }

  private static DistinctState roundTrip(DistinctState s) {
    RowAggregate row = new RowAggregate(new MetricState[] {s});
    return (DistinctState) RowAggregateCodec.decode(RowAggregateCodec.encode(row)).state(0);
  }

  @Test
  void exactBelowTheLimitThroughMergesAndEncodingAndNeverAboveTheValueCount() {
    Random random = new Random(12);
    for (int trial = 0; trial < 300; trial++) {
      int events = random.nextInt(1500);
      int universe = 1 + random.nextInt(trial % 2 == 0 ? 40 : 1200);
      List<String> values = new ArrayList<>();
      Set<String> exact = new HashSet<>();
      for (int i = 0; i < events; i++) {
        String v = "s" + random.nextInt(universe);
        values.add(v);
        exact.add(v);
      }
      DistinctState direct = new DistinctState();
      values.forEach(direct::add);
      DistinctState merged = viaPartsAndCodec(values, 1 + random.nextInt(7), random);
      long truth = exact.size();
      for (DistinctState s : List.of(direct, merged)) {
        long result = s.result().longValue();
        assertTrue(result <= events, "never above the events carrying the field: " + result + " > " + events);
        if (truth <= DistinctState.EXACT_LIMIT) {
          assertTrue(s.isExact());
          assertEquals(truth, result, "exact below the limit");
        } else {
          assertFalse(s.isExact());
          assertTrue(Math.abs(result - truth) <= 3 * RSE * truth, truth + " -> " + result);
        }
        assertEquals(events, s.valueCount());
      }
      assertEquals(direct.result(), merged.result(), "merge order and encoding do not change the answer");
    }
  }

  @Test
  void equalSetsWriteEqualBytesBelowTheLimitWhateverTheOrder() {
    Random random = new Random(5);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      values.add("user-" + random.nextInt(700));
    }
    byte[] first = RowAggregateCodec.encode(new RowAggregate(new MetricState[] {viaPartsAndCodec(values, 5, random)}));
    Collections.shuffle(values, random);
    byte[] second = RowAggregateCodec.encode(new RowAggregate(new MetricState[] {viaPartsAndCodec(values, 3, random)}));
    assertArrayEquals(first, second);
  }

  @Test
  void withinThePublishedErrorBoundAboveTheLimit() {
    Random random = new Random(99);
    for (int n : new int[] {1_025, 2_000, 5_000, 20_000, 100_000, 500_000}) {
      List<String> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        values.add("u" + i + "-" + random.nextInt(1000));
      }
      DistinctState merged = viaPartsAndCodec(values, 4, random);
      long result = merged.result().longValue();
      assertTrue(Math.abs(result - n) <= 3 * RSE * n, n + " -> " + result + " (bound " + 3 * RSE * n + ")");
      assertTrue(result <= n);
    }
  }

  @Test
  void anExampleLikeTheLocalStacksMinuteRow() {
    // 670 events of 670 sessions once read 680: now exact, and capped by the events in any case.
    DistinctState s = new DistinctState();
    for (int i = 0; i < 670; i++) {
      s.add("s" + Long.toHexString(new Random(i).nextLong()));
    }
    assertEquals(670L, roundTrip(s).result());
  }

  @Test
  void statesOfTheEarlierFormatStillReadAndMerge() throws IOException {
    HllSketch old = new HllSketch(DistinctState.LG_K, TgtHllType.HLL_8);
    for (int i = 0; i < 50; i++) {
      old.update("v" + i);
    }
    byte[] sketch = old.toCompactByteArray();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(RowAggregateCodec.VERSION);
      out.writeByte(1);
      out.writeByte(org.lambdadist.core.view.MetricType.DISTINCT.tag());
      out.writeInt(sketch.length);
      out.write(sketch);
    }
    DistinctState legacy = (DistinctState) RowAggregateCodec.decode(bytes.toByteArray()).state(0);
    assertEquals(50L, legacy.result());
    assertEquals(-1, legacy.valueCount());
    DistinctState fresh = new DistinctState();
    fresh.add("w1");
    legacy.merge(fresh);
    assertEquals(51L, legacy.result());
    assertEquals(legacy, roundTrip(legacy));
  }

  /**
   * Partial rows are computed by one process or by several map tasks, flushed at any row count:
   * the same values must write the same bytes whatever the grouping and order, past the limit
   * (a sketch) as below it.
   */
  @Test
  void everyGroupingOfTheSameValuesWritesTheSameBytes() {
    Random random = new Random(77);
    for (int trial = 0; trial < 40; trial++) {
      int n = 900 + random.nextInt(trial % 4 == 0 ? 400 : 30_000);
      List<String> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add("user-" + random.nextInt(n));
      }
      DistinctState inOrder = new DistinctState();
      values.forEach(inOrder::add);
      byte[] expected = RowAggregateCodec.encode(new RowAggregate(new MetricState[] {inOrder}));
      for (int grouping = 0; grouping < 3; grouping++) {
        DistinctState regrouped = viaPartsAndCodec(values, 2 + random.nextInt(6), random);
        assertArrayEquals(expected, RowAggregateCodec.encode(new RowAggregate(new MetricState[] {regrouped})),
            "trial " + trial + ", " + n + " values, grouping " + grouping);
      }
      assertArrayEquals(expected, RowAggregateCodec.encode(new RowAggregate(new MetricState[] {roundTrip(inOrder)})));
    }
  }
}
