package org.lambdadist.core.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FingerprintTableTest {
  @Test
  void aSetHoldsExactlyWhatWasAddedThroughGrowthAndCompaction() {
    FingerprintTable set = FingerprintTable.set(0);
    Set<String> model = new HashSet<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      long[] fp = EventFingerprint.of("id-" + random.nextInt(150_000));
      assertEquals(model.add(fp[0] + "/" + fp[1]), set.add(fp[0], fp[1]));
    }
    assertEquals(model.size(), set.size());
    set.compact();
    assertEquals(model.size(), set.size());
    Set<String> seen = new HashSet<>();
    set.forEach((h, l) -> seen.add(h + "/" + l));
    assertEquals(model, seen);
    for (int i = 0; i < 150_000; i++) {
      long[] fp = EventFingerprint.of("id-" + i);
      assertEquals(model.contains(fp[0] + "/" + fp[1]), set.contains(fp[0], fp[1]));
    }
    assertFalse(set.contains(1, 2));
  }

  @Test
  void aCompactedSetCostsAbout21BytesPerId() {
    FingerprintTable set = FingerprintTable.set(16);
    for (int i = 0; i < 1_000_000; i++) {
      long[] fp = EventFingerprint.of("event-" + i);
      set.add(fp[0], fp[1]);
    }
    set.compact();
    double perId = (double) set.memoryBytes() / set.size();
    assertTrue(perId > 21 && perId < 22, "bytes per id: " + perId);
  }

  @Test
  void aMapKeepsTheLastValueAndTheEmptyMarkerIsRefused() {
    FingerprintTable map = FingerprintTable.map(2);
    assertEquals(-1, map.get(5, 6));
    map.put(5, 6, 3);
    map.put(5, 6, 1);
    map.put(7, 8, 0);
    assertEquals(1, map.get(5, 6));
    assertEquals(0, map.get(7, 8));
    assertEquals(2, map.size());
    assertThrows(IllegalArgumentException.class, () -> map.put(0, 0, 1));
  }

  @Test
  void fingerprintsAreStableSpreadAndNeverTheEmptyMarker() {
    long[] a = EventFingerprint.of("e-1");
    assertEquals(a[0], EventFingerprint.of("e-1")[0]);
    assertEquals(a[1], EventFingerprint.of("e-1")[1]);
    assertNotEquals(a[0], EventFingerprint.of("e-2")[0]);
    assertTrue(EventFingerprint.of("ü").length == 2);
    long[] empty = EventFingerprint.of("");
    assertTrue(empty[0] != 0 || empty[1] != 0, "the empty id has a fingerprint");
    long[] a1 = EventFingerprint.of("a\uD800");
    long[] a2 = EventFingerprint.of("a\uDC00");
    assertTrue(a1[0] != a2[0] || a1[1] != a2[1], "unpaired surrogates are not all one replacement char");
    int[] perPartition = new int[4];
    for (int i = 0; i < 40_000; i++) {
      perPartition[EventFingerprint.partitionOf(EventFingerprint.of("x" + i)[0], 4)]++;
    }
    for (int n : perPartition) {
      assertTrue(n > 9_000 && n < 11_000, "partitions even: " + java.util.Arrays.toString(perPartition));
    }
  }
}
