package org.lambdadist.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void fastPathAgreesWithJavaTimeOnRandomInstants() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      long millis = random.nextLong(-62_000_000_000_000L, 250_000_000_000_000L);
      Instant instant = Instant.ofEpochMilli(millis);
      String text = instant.toString();
      if (text.startsWith("+") || text.startsWith("-")) {
        continue; // years beyond 9999 or before 0: the fallback handles them
      }
      assertEquals(millis, Timestamps.parseText(text), text);
      assertEquals(millis, Timestamps.parseUtcFast(text), text);
    }
  }

  @Test
  void otherIsoShapesWithAZone() {
    long t = Instant.parse("2018-01-01T00:01:35Z").toEpochMilli();
    assertEquals(t, Timestamps.parseText("2018-01-01T01:01:35+01:00"));
    assertEquals(t, Timestamps.parseText("2018-01-01T01:01:35+0100"));
    assertEquals(t, Timestamps.parseText("2018-01-01T01:01:35+01"));
    assertEquals(t, Timestamps.parseText("2018-01-01 00:01:35Z"));
    assertEquals(t, Timestamps.parseText("2018-01-01t00:01:35z"));
    assertEquals(t + 250, Timestamps.parseText("2018-01-01T00:01:35.25+00:00"));
    assertEquals(Long.MIN_VALUE, Timestamps.parseText("2018-01-01T00:01:35"));
    assertEquals(Long.MIN_VALUE, Timestamps.parseText("2018-01-01"));
    assertEquals(Long.MIN_VALUE, Timestamps.parseText("01/01/2018 00:01:35Z"));
  }

  @Test
  void fractionsTruncateTowardThePast() {
    assertEquals(-1L, Timestamps.parseText("1969-12-31T23:59:59.9999Z"));
    assertEquals(1L, Timestamps.parseText("1970-01-01T00:00:00.0019Z"));
    assertEquals(Long.MIN_VALUE, Timestamps.parseText("1970-13-01T00:00:00Z"));
  }
}
