package org.lambdadist.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;

class RowKeyCodecTest {
  @Test
  void roundTripsAndKeepsEachSeriesInOneContiguousSaltedRange() {
    SplittableRandom r = new SplittableRandom(8);
    Set<Integer> salts = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      List<String> dims = Arrays.asList("c" + r.nextInt(500), r.nextBoolean() ? null : "\u0000\u00ff" + r.nextInt(3));
      Granularity g = Granularity.values()[r.nextInt(3)];
      long from = g.bucketStart(r.nextLong(0, 4_000_000_000_000L));
      long to = from + g.sizeMillis() * (1 + r.nextInt(100));
      long inside = from + g.sizeMillis() * r.nextInt((int) ((to - from) / g.sizeMillis()));
      ViewKey key = new ViewKey("v", dims, g, inside);
      byte[] row = RowKeyCodec.encode(key);
      assertEquals(key, RowKeyCodec.decode(row));
      byte[] viewKey = ViewKeyCodec.encode(key);
      org.junit.jupiter.api.Assertions.assertArrayEquals(row, RowKeyCodec.fromViewKeyBytes(viewKey, 0, viewKey.length));
      salts.add((int) row[0]);
      byte[] start = RowKeyCodec.seriesStart("v", dims, g, from);
      byte[] stop = RowKeyCodec.seriesStop("v", dims, g, to);
      assertTrue(Arrays.compareUnsigned(start, row) <= 0 && Arrays.compareUnsigned(row, stop) < 0);
      // Every granularity of the key shares the salt.
      for (Granularity other : Granularity.values()) {
        assertEquals(row[0], RowKeyCodec.encode(new ViewKey("v", dims, other, 0))[0]);
      }
      // A neighbouring key's rows never fall inside this series' range.
      ViewKey neighbour = new ViewKey("v", Arrays.asList(dims.get(0) + "x", dims.get(1)), g, inside);
      byte[] n = RowKeyCodec.encode(neighbour);
      assertTrue(Arrays.compareUnsigned(n, start) < 0 || Arrays.compareUnsigned(n, stop) >= 0);
    }
    assertEquals(RowKeyCodec.SALT_BUCKETS, salts.size(), "keys spread over every salt");
    assertEquals(RowKeyCodec.SALT_BUCKETS - 1, RowKeyCodec.splitKeys().length);
    assertEquals(0, RowKeyCodec.splitKeys(1).length);
    byte[][] four = RowKeyCodec.splitKeys(4);
    assertEquals(3, four.length);
    assertEquals(4, four[0][0]);
    assertEquals(8, four[1][0]);
    assertEquals(12, four[2][0]);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RowKeyCodec.splitKeys(3));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RowKeyCodec.splitKeys(32));
  }

  @Test
  void aWrongSaltOrQualifierIsCorrupt() {
    byte[] row = RowKeyCodec.encode(new ViewKey("v", new ArrayList<>(List.of("a")), Granularity.DAY, 0));
    row[0] = (byte) ((row[0] + 1) % RowKeyCodec.SALT_BUCKETS);
    assertThrows(CodecException.class, () -> RowKeyCodec.decode(row));
    for (long epoch : new long[] {0, 1, 255, 256, Long.MAX_VALUE}) {
      byte[] q = RowKeyCodec.epochQualifier(epoch);
      assertEquals(epoch, RowKeyCodec.epochOfQualifier(q, 0, q.length));
    }
    assertTrue(Arrays.compareUnsigned(RowKeyCodec.epochQualifier(2), RowKeyCodec.epochQualifier(256)) < 0);
    assertThrows(CodecException.class, () -> RowKeyCodec.epochOfQualifier(new byte[4], 0, 4));
  }
}
