package org.lambdadist.batch.partial;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.datasketches.hash.MurmurHash3;

/** Event ids as the indexes keep them: UTF-8 bytes, ordered by a 64-bit hash, then by bytes. */
public final class EventIds {
  private static final long SEED = 0x1a2b3c4dL;

  private EventIds() {}

  public static byte[] bytes(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  /** The ordering hash of an id's bytes (MurmurHash3, first 64 bits; a constant for the empty id, which it refuses). */
  public static long hash(byte[] id) {
    return id.length == 0 ? SEED : MurmurHash3.hash(id, SEED)[0];
  }

  /** The index order: hash, then bytes (unsigned), so equal ids are adjacent and collisions stay apart. */
  public static int compare(long hashA, byte[] a, long hashB, byte[] b) {
    int c = Long.compare(hashA, hashB);
    return c != 0 ? c : Arrays.compareUnsigned(a, b);
  }
}
