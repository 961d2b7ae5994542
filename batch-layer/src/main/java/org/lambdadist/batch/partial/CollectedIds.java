package org.lambdadist.batch.partial;

import java.util.Arrays;

/**
 * The accepted ids of an epoch, or of one batch of its records, with their positions, in
 * reading order. The ids' bytes lie back to back in a few large arrays (one per batch) rather
 * than in an array each: a million small arrays, all alive until the index is written, cost the
 * collector a copy and a promotion each, and cost the index a cache miss at every comparison
 * and again when it writes them. Entries are numbered from 0 in the order they were added.
 *
 * <p>A batch's worker {@link #add}s ids one by one; the reading thread {@link #append}s whole
 * batches to the epoch's, adopting each batch's array of bytes without copying it.
 */
final class CollectedIds {
  long records;
  int size;
  long[] hashes;
  int[] partitions;
  long[] offsets;
  /** Where each id's bytes begin: the number of its array in {@link #arrays} (high half), the index in it (low half). */
  private long[] starts;
  private int[] lengths;
  private byte[][] arrays = new byte[4][];
  private int arrayCount;
  /** The array {@link #add} appends to (a batch's), and how much of it is used. */
  private byte[] open;
  private int openUsed;

  CollectedIds(int capacity) {
    int c = Math.max(1, capacity);
    hashes = new long[c];
    partitions = new int[c];
    offsets = new long[c];
    starts = new long[c];
    lengths = new int[c];
  }

  /** Adds one id of a batch (its bytes are copied). */
  void add(long hash, byte[] id, int partition, long offset) {
    ensureCapacity(size + 1);
    if (open == null) {
      open = new byte[Math.max(4096, id.length)];
      arrays[arrayCount++] = open;
    } else if (openUsed + id.length > open.length) {
      open = Arrays.copyOf(open, Math.max(open.length * 2, openUsed + id.length));
      arrays[arrayCount - 1] = open;
    }
    System.arraycopy(id, 0, open, openUsed, id.length);
    hashes[size] = hash;
    partitions[size] = partition;
    offsets[size] = offset;
    starts[size] = ((long) (arrayCount - 1) << 32) | openUsed;
    lengths[size++] = id.length;
    openUsed += id.length;
  }

  /** Appends every id of {@code batch} (which is not used afterwards), taking over its bytes. */
  void append(CollectedIds batch) {
    if (open != null) {
      throw new IllegalStateException("ids added one by one cannot be followed by a batch");
    }
    ensureCapacity(size + batch.size);
    int n = batch.size;
    System.arraycopy(batch.hashes, 0, hashes, size, n);
    System.arraycopy(batch.partitions, 0, partitions, size, n);
    System.arraycopy(batch.offsets, 0, offsets, size, n);
    System.arraycopy(batch.lengths, 0, lengths, size, n);
    long base = (long) arrayCount << 32;
    for (int k = 0; k < batch.arrayCount; k++) {
      byte[] bytes = batch.arrays[k];
      if (bytes == batch.open && batch.openUsed < bytes.length - (bytes.length >> 2)) {
        bytes = Arrays.copyOf(bytes, batch.openUsed); // a quarter or more unused: not kept for the whole epoch
      }
      if (arrayCount == arrays.length) {
        arrays = Arrays.copyOf(arrays, arrayCount * 2);
      }
      arrays[arrayCount++] = bytes;
    }
    for (int i = 0; i < n; i++) {
      starts[size + i] = batch.starts[i] + base;
    }
    size += n;
  }

  private void ensureCapacity(int needed) {
    if (needed > hashes.length) {
      int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * hashes.length));
      hashes = Arrays.copyOf(hashes, grown);
      partitions = Arrays.copyOf(partitions, grown);
      offsets = Arrays.copyOf(offsets, grown);
      starts = Arrays.copyOf(starts, grown);
      lengths = Arrays.copyOf(lengths, grown);
    }
  }

  /** The length in bytes of entry {@code i}'s id. */
  int length(int i) {
    return lengths[i];
  }

  /** Copies entry {@code i}'s id to {@code to} at {@code at}. */
  void copyId(int i, byte[] to, int at) {
    long s = starts[i];
    System.arraycopy(arrays[(int) (s >>> 32)], (int) s, to, at, lengths[i]);
  }

  /** Entry {@code i}'s id as an array of its own. */
  byte[] id(int i) {
    byte[] b = new byte[lengths[i]];
    copyId(i, b, 0);
    return b;
  }

  /** The ids of entries {@code a} and {@code b} compared as unsigned bytes. */
  int compareIds(int a, int b) {
    long sa = starts[a];
    long sb = starts[b];
    int fa = (int) sa;
    int fb = (int) sb;
    return Arrays.compareUnsigned(arrays[(int) (sa >>> 32)], fa, fa + lengths[a],
        arrays[(int) (sb >>> 32)], fb, fb + lengths[b]);
  }

  /** Whether entry {@code i}'s id is {@code id}. */
  boolean idEquals(int i, byte[] id) {
    long s = starts[i];
    int from = (int) s;
    return Arrays.equals(arrays[(int) (s >>> 32)], from, from + lengths[i], id, 0, id.length);
  }

  /** The ids of {@code entries} (the first {@code count}), in that order, for {@link IdIndexFile#write}. */
  IdIndexFile.Ids of(int[] entries, int count) {
    return new IdIndexFile.Ids() {
      @Override
      public int count() {
        return count;
      }

      @Override
      public int length(int i) {
        return lengths[entries[i]];
      }

      @Override
      public void copyTo(int i, byte[] to, int at) {
        copyId(entries[i], to, at);
      }
    };
  }
}
