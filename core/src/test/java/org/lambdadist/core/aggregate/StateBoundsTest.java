package org.lambdadist.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.codec.RowAggregateCodec;
import org.lambdadist.core.event.EventLimits;
import org.lambdadist.core.view.MetricType;

/**
 * One limit for writing and reading numeric states: whatever a state accepts, at the largest
 * bounds any configuration allows and summed over up to 2^63 values, encodes and decodes.
 */
class StateBoundsTest {
  private static final MetricType[] NUMERIC = {MetricType.SUM, MetricType.MIN, MetricType.MAX, MetricType.AVG};

  private static BigDecimal extreme(Random r) {
    int exponent = r.nextInt(EventLimits.MAX_EXPONENT_CEILING);
    int scale = r.nextInt(EventLimits.MAX_SCALE_CEILING + 1);
    return switch (r.nextInt(4)) {
      case 0 -> new BigDecimal("9.99999999999999999999").scaleByPowerOfTen(exponent - 1).negate();
      case 1 -> BigDecimal.ONE.movePointLeft(scale);
      case 2 -> new BigDecimal(new java.math.BigInteger(300, r), scale).add(BigDecimal.TEN.pow(Math.min(exponent, 900)));
      default -> BigDecimal.valueOf(r.nextLong(), r.nextInt(20));
    };
  }

  @Test
  void everyStateThatCanBeWrittenReadsBack() {
    Random r = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      for (MetricType type : NUMERIC) {
        MetricState s = MetricState.zero(type);
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
          BigDecimal v = extreme(r);
          assertEquals(EventLimits.withinCeilings(v), s.add(v), v.toString());
          s.add(v.toString());
        }
        // Doubling 63 times stands for 2^63 values of this size.
        for (int k = 0; k < 63 && type != MetricType.MIN && type != MetricType.MAX; k++) {
          if (type == MetricType.AVG && ((AvgState) s).count() > Long.MAX_VALUE / 2) {
            break;
          }
          s.merge(s.copy());
        }
        RowAggregate row = new RowAggregate(new MetricState[] {s});
        RowAggregate back = RowAggregateCodec.decode(RowAggregateCodec.encode(row));
        assertEquals(row, back, type.label());
      }
    }
  }

  @Test
  void statesRefuseNumbersBeyondTheCeilingsAndTheTableRefusesBeyondTheSettings() {
    for (MetricType type : NUMERIC) {
      MetricState s = MetricState.zero(type);
      assertFalse(s.add(new BigDecimal("1e1000")));
      assertFalse(s.add("1e-10000"));
      assertFalse(s.add(new BigDecimal("1e-999999999")));
      assertTrue(s.add(new BigDecimal("1e999")));
    }
    EventLimits defaults = EventLimits.defaults();
    for (String ok : List.of("9.99e299", "-9.99e299", "1e-30", "0", "1.0000000000000000000000000000000000000", "12.5")) {
      assertTrue(AggregationTable.isMetricValue(MetricType.SUM, new BigDecimal(ok), defaults), ok);
      assertTrue(AggregationTable.isMetricValue(MetricType.SUM, ok, defaults), ok);
    }
    for (String bad : List.of("1e300", "-1e309", "1e-31", "1e999999999", "1e-999999999", "NaN", "Infinity", "x")) {
      assertFalse(AggregationTable.isMetricValue(MetricType.AVG, bad, defaults), bad);
    }
    assertTrue(AggregationTable.isMetricValue(MetricType.SUM, Long.MAX_VALUE, defaults));
    assertFalse(AggregationTable.isMetricValue(MetricType.SUM, Boolean.TRUE, defaults));
    assertTrue(AggregationTable.isMetricValue(MetricType.COUNT, Boolean.TRUE, defaults));
    EventLimits small = EventLimits.fromSettings(java.util.Map.of("lambda.event.metric.max-exponent", "6")::get);
    assertFalse(AggregationTable.isMetricValue(MetricType.MAX, 1_000_000L, small));
    assertTrue(AggregationTable.isMetricValue(MetricType.MAX, 999_999L, small));
  }
}
