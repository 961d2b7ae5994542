package org.lambdadist.core.dedup;

import org.apache.datasketches.hash.MurmurHash3;

/**
 * An event id as a 128-bit fingerprint: MurmurHash3 (x64, 128 bits, DataSketches' implementation)
 * with a fixed seed of a marker char followed by the id's UTF-16 code units, exactly as the string
 * holds them: two ids have the same input iff they are equal strings (UTF-8 would map every
 * unpaired surrogate to one replacement character), and the empty id has an input too. Two different ids share a fingerprint with probability
 * about 2<sup>-128</sup> per pair: among the 30 million ids of a ten-minute window at 50,000
 * events/s that is below 10<sup>-24</sup>, so dedup by fingerprint drops a distinct event less
 * often than a machine flips a bit. The fingerprint (0, 0) is reserved as the empty slot of
 * {@link FingerprintTable}; an id hashing to it is taken as (0, 1), which costs nothing measurable.
 */
public final class EventFingerprint {
  /** Fixed forever: fingerprints are kept in the speed layer's state files across restarts and versions. */
  static final long SEED = 0x4c616d6264614450L; // "LambdaDP"

  private EventFingerprint() {}

  /** The fingerprint of an id: {high, low}. */
  public static long[] of(String eventId) {
    char[] units = new char[eventId.length() + 1];
    units[0] = 'L';
    eventId.getChars(0, eventId.length(), units, 1);
    long[] h = MurmurHash3.hash(units, SEED);
    if (h[0] == 0 && h[1] == 0) {
      h[1] = 1;
    }
    return h;
  }

  /**
   * Which of {@code partitions} state partitions holds a fingerprint: from the high word's low
   * 32 bits, while a table's slot comes from its top 32 bits, so each partition's table still
   * sees evenly spread slots.
   */
  public static int partitionOf(long high, int partitions) {
    return (int) (((high & 0xFFFFFFFFL) * partitions) >>> 32);
  }
}
