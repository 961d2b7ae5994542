package org.lambdadist.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewKey;

class ViewKeyCodecTest {
  private final SplittableRandom random = new SplittableRandom(11);

  private String randomString() {
    int len = random.nextInt(6);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int kind = random.nextInt(4);
      b.appendCodePoint(switch (kind) {
        case 0 -> 'a' + random.nextInt(3);
        case 1 -> random.nextInt(3);          // NUL and control bytes
        case 2 -> 0xE9 + random.nextInt(2);   // two-byte UTF-8
        default -> 0x1F600 + random.nextInt(2); // four-byte UTF-8
      });
    }
    return b.toString();
  }

  private ViewKey randomKey() {
    List<String> dims = new ArrayList<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      dims.add(random.nextInt(5) == 0 ? null : randomString());
    }
    Granularity g = Granularity.values()[random.nextInt(3)];
    long t = g.bucketStart(random.nextLong(-100_000_000_000L, 100_000_000_000L));
    return new ViewKey(random.nextBoolean() ? "v" : "view_" + random.nextInt(2), dims, g, t);
  }

  @Test
  void roundTripsAnyBytesInDimensionValues() {
    for (int i = 0; i < 20_000; i++) {
      ViewKey k = randomKey();
      assertEquals(k, ViewKeyCodec.decode(ViewKeyCodec.encode(k)));
      byte[] b = ViewKeyCodec.encode(k);
      assertEquals(k.view(), ViewKeyCodec.viewOf(b, 0, b.length));
    }
  }

  /** The documented order: view, dimension values (shorter first, then bytes), granularity, time. */
  private static final Comparator<byte[]> UTF8_LENGTH_FIRST = Comparator
      .<byte[]>comparingInt(b -> b.length).thenComparing(Arrays::compareUnsigned);

  private static int tupleOrder(ViewKey a, ViewKey b) {
    int c = UTF8_LENGTH_FIRST.compare(utf8(a.view()), utf8(b.view()));
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.dimensions().size(), b.dimensions().size());
    for (int i = 0; c == 0 && i < a.dimensions().size(); i++) {
      String x = a.dimensions().get(i);
      String y = b.dimensions().get(i);
      c = x == null ? (y == null ? 0 : -1) : y == null ? 1 : UTF8_LENGTH_FIRST.compare(utf8(x), utf8(y));
    }
    if (c == 0) {
      c = Integer.compare(a.granularity().code(), b.granularity().code());
    }
    return c != 0 ? c : Long.compare(a.bucketStart(), b.bucketStart());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void byteOrderIsTupleOrderSoASeriesIsContiguous() {
    List<ViewKey> keys = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      keys.add(randomKey());
    }
    List<ViewKey> byBytes = new ArrayList<>(keys);
    byBytes.sort((a, b) -> Arrays.compareUnsigned(ViewKeyCodec.encode(a), ViewKeyCodec.encode(b)));
    for (int i = 1; i < byBytes.size(); i++) {
      assertTrue(tupleOrder(byBytes.get(i - 1), byBytes.get(i)) <= 0, byBytes.get(i - 1) + " > " + byBytes.get(i));
    }
    // Every key of a series starts with the series prefix, and no other key does.
    for (ViewKey k : keys.subList(0, 200)) {
      byte[] prefix = ViewKeyCodec.seriesPrefix(k.view(), k.dimensions(), k.granularity());
      for (ViewKey other : keys) {
        byte[] o = ViewKeyCodec.encode(other);
        boolean starts = o.length >= prefix.length && Arrays.equals(o, 0, prefix.length, prefix, 0, prefix.length);
        boolean sameSeries = other.view().equals(k.view()) && other.dimensions().equals(k.dimensions())
            && other.granularity() == k.granularity();
        assertEquals(sameSeries, starts, k + " vs " + other);
      }
    }
  }

  @Test
  void corruptBytesFailLoudly() {
    byte[] good = ViewKeyCodec.encode(new ViewKey("v", Arrays.asList("a", null), Granularity.DAY, 0));
    assertThrows(CodecException.class, () -> ViewKeyCodec.decode(new byte[0]));
    assertThrows(CodecException.class, () -> ViewKeyCodec.decode(Arrays.copyOf(good, good.length - 1)));
    assertThrows(CodecException.class, () -> ViewKeyCodec.decode(Arrays.copyOf(good, good.length + 1)));
    byte[] version = good.clone();
    version[0] = 9;
    CodecException e = assertThrows(CodecException.class, () -> ViewKeyCodec.decode(version));
    assertTrue(e.getMessage().contains("version 9"));
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      byte[] b = good.clone();
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      try {
        ViewKeyCodec.decode(b);
      } catch (CodecException expected) {
        // a corrupt key is reported, never a different exception
      }
    }
  }

  @Test
  void aggregateCodecRejectsCorruptBytes() {
    assertThrows(CodecException.class, () -> RowAggregateCodec.decode(new byte[] {1, 1, 99}));
    assertThrows(CodecException.class, () -> RowAggregateCodec.decode(new byte[] {2, 0}));
    assertThrows(CodecException.class, () -> RowAggregateCodec.decode(new byte[] {1, 1, 1, 0}));
  }
}
