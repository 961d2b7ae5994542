package org.lambdadist.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** An average's fast double division gives exactly the double of the 34-digit decimal quotient. */
class ExactSumTest {
  private static void check(ExactSum s, long count) {
    assertEquals(Double.doubleToLongBits(s.exactQuotient(count)), Double.doubleToLongBits(s.dividedBy(count)),
        () -> s.total() + " / " + count);
  }

  @Test
  void integralTotalsDivideAsTheDecimalQuotientRounds() {
    SplittableRandom random = new SplittableRandom(53);
    long[] edges = {0, 1, -1, 2, 3, 7, 10, 1L << 52, (1L << 53) - 1, -(1L << 53) + 1, 1L << 53, 1L << 60,
        Long.MAX_VALUE, Long.MIN_VALUE + 1, 999_999_999_999L};
    long[] counts = {1, 2, 3, 6, 7, 10, 1000, 86_400_000L, (1L << 53) - 1, 1L << 53, Long.MAX_VALUE};
    for (long e : edges) {
      for (long c : counts) {
        ExactSum s = new ExactSum();
        s.add(e);
        check(s, c);
      }
    }
    for (int i = 0; i < 200_000; i++) {
      ExactSum s = new ExactSum();
      int bits = 1 + random.nextInt(62);
      s.add(random.nextLong() >> (63 - bits));
      long c = 1 + (random.nextLong(1L << (1 + random.nextInt(55))));
      check(s, c);
    }
  }

  @Test
  void decimalTotalsDivideAsTheDecimalQuotientRounds() {
    SplittableRandom random = new SplittableRandom(34);
    for (int i = 0; i < 200_000; i++) {
      ExactSum s = new ExactSum();
      int scale = random.nextInt(18);
      long unscaled = random.nextLong() >> random.nextInt(63);
      s.add(BigDecimal.valueOf(unscaled, scale), true);
      if (random.nextBoolean()) {
        s.add(random.nextLong(1_000_000));
      }
      long c = 1 + random.nextLong(1L << (1 + random.nextInt(40)));
      check(s, c);
    }
    ExactSum tiny = new ExactSum();
    tiny.add(new BigDecimal("0.000000000000001"), true);
    check(tiny, 3);
    ExactSum negativeScale = new ExactSum();
    negativeScale.add(new BigDecimal("1E+20"), true);
    check(negativeScale, 7);
  }
}
