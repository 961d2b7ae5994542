package org.lambdadist.batch.partial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ids kept back to back, batch by batch, and the index order over them. */
class CollectedIdsTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void batchesAppendedKeepEveryIdAndPositionInReadingOrder() {
    Random random = new Random(42);
    CollectedIds epoch = new CollectedIds(1);
    List<byte[]> expected = new ArrayList<>();
    int entry = 0;
    for (int b = 0; b < 7; b++) {
      CollectedIds batch = new CollectedIds(16);
      int n = b == 3 ? 0 : 1 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[i % 50 == 0 ? 5000 + random.nextInt(5000) : 1 + random.nextInt(40)];
        random.nextBytes(id);
        batch.add(EventIds.hash(id), id, b, entry);
        expected.add(id);
        entry++;
      }
      epoch.append(batch);
    }
    assertEquals(expected.size(), epoch.size);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), epoch.id(i));
      assertEquals(expected.get(i).length, epoch.length(i));
      assertEquals(EventIds.hash(expected.get(i)), epoch.hashes[i]);
      assertEquals(i, epoch.offsets[i]);
      assertTrue(epoch.idEquals(i, expected.get(i).clone()));
      if (i > 0) {
        assertEquals(Integer.signum(java.util.Arrays.compareUnsigned(expected.get(i), expected.get(i - 1))),
            Integer.signum(epoch.compareIds(i, i - 1)));
      }
    }
    assertFalse(epoch.idEquals(0, new byte[0]));
  }

  @Test
  void aBatchCannotFollowIdsAddedOneByOne() {
    CollectedIds ids = new CollectedIds(4);
    ids.add(1, utf8("a"), 0, 0);
    assertThrowsIllegalState(() -> ids.append(new CollectedIds(1)));
  }

  private static void assertThrowsIllegalState(Runnable r) {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, r::run);
  }

  /**
   * The order is (hash as a signed long, id bytes unsigned, partition, offset); equal hashes of
   * different ids (forced here: real 64-bit collisions cannot be written down) stay apart.
   */
  @Test
  void indexOrderSortsByHashThenBytesThenPosition() {
    record Entry(long hash, String id, int partition, long offset) {}
    List<Entry> entries = new ArrayList<>();
    Random random = new Random(7);
    long[] collidingHashes = {Long.MIN_VALUE, -1, 0, 5, Long.MAX_VALUE};
    for (int i = 0; i < 20_000; i++) {
      long hash = i % 10 == 0 ? collidingHashes[random.nextInt(collidingHashes.length)] : random.nextLong();
      String id = i % 10 == 0 ? "id-" + random.nextInt(4) + (random.nextBoolean() ? "\u00e9" : "") : "u" + i;
      entries.add(new Entry(hash, id, random.nextInt(3), random.nextInt(1_000_000)));
    }
    CollectedIds epoch = new CollectedIds(8);
    for (int from = 0; from < entries.size(); from += 4096) {
      CollectedIds batch = new CollectedIds(4096);
      for (Entry e : entries.subList(from, Math.min(entries.size(), from + 4096))) {
        batch.add(e.hash(), utf8(e.id()), e.partition(), e.offset());
      }
      epoch.append(batch);
    }
    EpochIndexes.IndexOrder order = EpochIndexes.indexOrder(epoch);
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::hash)
        .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(utf8(a.id()), utf8(b.id())))
        .thenComparingInt(Entry::partition).thenComparingLong(Entry::offset));
    for (int i = 0; i < sorted.size(); i++) {
      int at = order.entries()[i];
      Entry want = sorted.get(i);
      assertEquals(want.hash(), order.hashes()[i], "hash at " + i);
      assertEquals(want.hash(), epoch.hashes[at]);
      assertEquals(want.id(), new String(epoch.id(at), StandardCharsets.UTF_8), "id at " + i);
      assertEquals(want.partition(), epoch.partitions[at]);
      assertEquals(want.offset(), epoch.offsets[at]);
    }
  }
}
