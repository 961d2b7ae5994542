package org.lambdadist.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bucket laws in the manner of Summingbird's BatcherLaws. */
class GranularityTest {
  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void bucketsAreHalfOpen() {
    assertEquals(t("2018-01-01T01:02:00Z"), Granularity.MINUTE.bucketStart(t("2018-01-01T01:02:00Z")));
    assertEquals(t("2018-01-01T01:01:00Z"), Granularity.MINUTE.bucketStart(t("2018-01-01T01:01:59.999Z")));
    assertEquals(t("2018-01-01T01:00:00Z"), Granularity.HOUR.bucketStart(t("2018-01-01T01:59:59.999Z")));
    assertEquals(t("2018-01-01T00:00:00Z"), Granularity.DAY.bucketStart(t("2018-01-01T23:59:59.999Z")));
    assertEquals(t("2018-01-02T00:00:00Z"), Granularity.DAY.bucketStart(t("2018-01-02T00:00:00Z")));
    assertEquals(t("1969-12-31T00:00:00Z"), Granularity.DAY.bucketStart(-1));
  }

  @Test
  void laws() {
    SplittableRandom random = new SplittableRandom(3);
    for (Granularity g : Granularity.values()) {
      for (int i = 0; i < 10_000; i++) {
        long time = random.nextLong(-10_000_000_000_000L, 10_000_000_000_000L);
        long start = g.bucketStart(time);
        assertTrue(start <= time && time < start + g.sizeMillis());
        assertTrue(g.isBucketStart(start));
        assertEquals(start, g.bucketStart(start));
        assertEquals(start + g.sizeMillis(), g.bucketStart(start + g.sizeMillis()));
      }
      assertEquals(g, Granularity.fromLabel(g.label()));
      assertEquals(g, Granularity.fromCode(g.code()));
    }
    assertEquals("2018-01-01T01:01:00Z", Granularity.formatInstant(t("2018-01-01T01:01:00Z")));
  }

  @Test
  void noOverflowAnywhereInBucketing() {
    for (Granularity g : Granularity.values()) {
      for (long t : new long[] {org.lambdadist.core.event.Timestamps.MIN_SUPPORTED,
          org.lambdadist.core.event.Timestamps.MAX_SUPPORTED, 0, -1, 253402300799999L}) {
        long start = g.bucketStart(t);
        org.junit.jupiter.api.Assertions.assertTrue(start <= t && t < start + g.sizeMillis());
        org.junit.jupiter.api.Assertions.assertEquals(start + g.sizeMillis(), g.nextBucketStart(t));
      }
      // Outside every time an event can have: an error, never a wrapped-around bucket.
      org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> g.bucketStart(Long.MIN_VALUE));
      org.junit.jupiter.api.Assertions.assertEquals(Long.MAX_VALUE, g.nextBucketStart(Long.MAX_VALUE));
    }
  }

  @Test
  void bucketsInARangeAndTheDayOfAnInstant() {
    long day = Granularity.DAY.sizeMillis();
    org.junit.jupiter.api.Assertions.assertEquals(1, Granularity.DAY.bucketsIn(0, 1));
    org.junit.jupiter.api.Assertions.assertEquals(0, Granularity.DAY.bucketsIn(1, day));
    org.junit.jupiter.api.Assertions.assertEquals(1, Granularity.DAY.bucketsIn(1, day + 1));
    org.junit.jupiter.api.Assertions.assertEquals(2, Granularity.DAY.bucketsIn(0, day + 1));
    org.junit.jupiter.api.Assertions.assertEquals(1440, Granularity.MINUTE.bucketsIn(0, day));
    org.junit.jupiter.api.Assertions.assertEquals(0, Granularity.HOUR.bucketsIn(day, 0));
    org.junit.jupiter.api.Assertions.assertEquals("1970-01-02", Granularity.dayOf(day));
    org.junit.jupiter.api.Assertions.assertEquals("1969-12-31", Granularity.dayOf(-1));
  }

  @Test
  void instantsAreFormattedExactlyAsInstantToString() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(1970);
    long[] edges = {0, 1, 999, 1000, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */, 4_107_542_400_000L,
        253_402_300_799_999L, 253_402_300_800_000L, -1, -86_400_000L, Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000};
    for (long t : edges) {
      assertEquals(java.time.Instant.ofEpochMilli(t).toString(), Granularity.formatInstant(t), Long.toString(t));
    }
    for (int i = 0; i < 300_000; i++) {
      long t = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
      if (random.nextBoolean()) {
        t -= Math.floorMod(t, 60_000L); // minute buckets, the common case
      }
      assertEquals(java.time.Instant.ofEpochMilli(t).toString(), Granularity.formatInstant(t), Long.toString(t));
    }
  }
}
