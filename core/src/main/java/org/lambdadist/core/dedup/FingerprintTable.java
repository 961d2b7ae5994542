package org.lambdadist.core.dedup;

/**
 * A set of 128-bit fingerprints, or a map of them to an int, in primitive arrays: open
 * addressing with linear probing, two longs per slot (plus an int for a map), grown to twice
 * its size above three quarters full. {@link #compact} shrinks a table that no longer grows to
 * the smallest size at that load, so a sealed set costs 21.3 bytes per fingerprint. The slot of
 * a fingerprint is its high word's top 32 bits scaled to the capacity (any capacity, not only
 * powers of two). The pair (0, 0) marks an empty slot: {@link EventFingerprint} never returns it.
 * Not thread-safe.
 */
public final class FingerprintTable {
  private static final double MAX_LOAD = 0.75;
  private static final int MIN_CAPACITY = 16;

  private long[] slots;
  private int[] values;
  private int capacity;
  private int size;

  private FingerprintTable(int expected, boolean map) {
    capacity = capacityFor(expected);
    slots = new long[2 * capacity];
    values = map ? new int[capacity] : null;
  }

  /** An empty set sized for about {@code expected} fingerprints. */
  public static FingerprintTable set(int expected) {
    return new FingerprintTable(expected, false);
  }

  /** An empty map to ints sized for about {@code expected} fingerprints. */
  public static FingerprintTable map(int expected) {
    return new FingerprintTable(expected, true);
  }

  private static int capacityFor(int n) {
    long c = (long) Math.ceil(Math.max(0, n) / MAX_LOAD) + 1;
    if (c > Integer.MAX_VALUE / 2 - 8) {
      throw new IllegalStateException("a fingerprint table of " + n + " entries is too large for one array;"
          + " use more state partitions");
    }
    return (int) Math.max(MIN_CAPACITY, c);
  }

  /** The slot holding the fingerprint, or {@code -(free slot) - 1}; (0, 0) is never held. */
  private int find(long high, long low) {
    if (high == 0 && low == 0) {
      throw new IllegalArgumentException("the fingerprint (0, 0) marks an empty slot");
    }
    int i = (int) (((high >>> 32) * capacity) >>> 32);
    while (true) {
      long h = slots[2 * i];
      long l = slots[2 * i + 1];
      if (h == high && l == low) {
        return i;
      }
      if (h == 0 && l == 0) {
        return -i - 1;
      }
      if (++i == capacity) {
        i = 0;
      }
    }
  }

  /** Whether the fingerprint is held. */
  public boolean contains(long high, long low) {
    return (high != 0 || low != 0) && find(high, low) >= 0;
  }

  /** Adds the fingerprint; true when it was not held before. */
  public boolean add(long high, long low) {
    int i = find(high, low);
    if (i >= 0) {
      return false;
    }
    insert(-i - 1, high, low, 0);
    return true;
  }

  /** The int a map holds for the fingerprint, or -1. */
  public int get(long high, long low) {
    int i = find(high, low);
    return i >= 0 ? values[i] : -1;
  }

  /** Maps the fingerprint to {@code value} (not negative), replacing what it held. */
  public void put(long high, long low, int value) {
    int i = find(high, low);
    if (i >= 0) {
      values[i] = value;
    } else {
      insert(-i - 1, high, low, value);
    }
  }

  private void insert(int slot, long high, long low, int value) {
    if (size + 1 > capacity * MAX_LOAD) {
      rehash(capacityFor(Math.max(size + 1, 2 * size)));
      slot = -find(high, low) - 1;
    }
    slots[2 * slot] = high;
    slots[2 * slot + 1] = low;
    if (values != null) {
      values[slot] = value;
    }
    size++;
  }

  private void rehash(int newCapacity) {
    long[] old = slots;
    int[] oldValues = values;
    int oldCapacity = capacity;
    capacity = newCapacity;
    slots = new long[2 * capacity];
    values = oldValues == null ? null : new int[capacity];
    for (int j = 0; j < oldCapacity; j++) {
      long h = old[2 * j];
      long l = old[2 * j + 1];
      if (h != 0 || l != 0) {
        int i = -find(h, l) - 1;
        slots[2 * i] = h;
        slots[2 * i + 1] = l;
        if (values != null) {
          values[i] = oldValues[j];
        }
      }
    }
  }

  /** Adds every fingerprint of another table. */
  public void addAll(FingerprintTable other) {
    other.forEach(this::add);
  }

  /** Shrinks the arrays to the smallest capacity for the entries held (for a table that is done growing). */
  public void compact() {
    int c = capacityFor(size);
    if (c < capacity) {
      rehash(c);
    }
  }

  public int size() {
    return size;
  }

  /** The bytes its arrays take on the heap (arrays only; their headers are noise). */
  public long memoryBytes() {
    return 16L * capacity + (values == null ? 0 : 4L * capacity);
  }

  /** Receives fingerprints. */
  @FunctionalInterface
  public interface Visitor {
    void fingerprint(long high, long low);
  }

  /** Every fingerprint held, in slot order. */
  public void forEach(Visitor visitor) {
    for (int j = 0; j < capacity; j++) {
      long h = slots[2 * j];
      long l = slots[2 * j + 1];
      if (h != 0 || l != 0) {
        visitor.fingerprint(h, l);
      }
    }
  }
}
