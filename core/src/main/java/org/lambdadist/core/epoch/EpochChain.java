package org.lambdadist.core.epoch;

import java.util.ArrayList;
import java.util.List;

/**
 * The closed arrival epochs of the Kafka log, in order: epoch {@code first + i} ends at
 * {@code boundaries.get(i)} (exclusive, per partition); the epoch after the last closed one is
 * open and takes every later offset. Immutable; {@link #close} gives the next chain.
 *
 * @param first the number of the first Kafka epoch (one past the master dataset's epochs when
 *     streaming started, so imported history keeps its numbers)
 * @param startedAtMillis when the chain began: the open time of its first epoch
 * @param closed the closed epochs, oldest first
 */
public record EpochChain(long first, long startedAtMillis, List<ClosedEpoch> closed) implements java.io.Serializable {

  /** One closed epoch: its number, where it ends, when and by whom it was closed. */
  public record ClosedEpoch(long epoch, PartitionOffsets end, long closedAtMillis, String closedBy)
      implements java.io.Serializable {}

  public EpochChain {
    if (first < 1) {
      throw new IllegalArgumentException("the first epoch must be at least 1: " + first);
    }
    closed = java.util.Collections.unmodifiableList(new ArrayList<>(closed));
    for (int i = 0; i < closed.size(); i++) {
      if (closed.get(i).epoch() != first + i) {
        throw new IllegalArgumentException("epoch chain has a gap: expected epoch " + (first + i) + ", found "
            + closed.get(i).epoch());
      }
      if (i > 0 && !closed.get(i).end().atOrAfter(closed.get(i - 1).end())) {
        throw new IllegalArgumentException("epoch " + closed.get(i).epoch() + " ends before epoch "
            + closed.get(i - 1).epoch() + ": " + closed.get(i).end() + " < " + closed.get(i - 1).end());
      }
    }
  }

  /**
   * The epoch number a master dataset directory name stands for ({@code epoch=<n>}), or -1 for
   * any other name; the one naming rule of the batch layer's archive, import and the speed
   * layer's first epoch.
   */
  public static long epochOfDirectory(String name) {
    if (!name.startsWith("epoch=") || name.length() == 6 || name.length() > 24) {
      return -1;
    }
    for (int i = 6; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(name.substring(6));
  }

  /**
   * The number a new epoch gets, given the epochs that exist (in any order): one past the
   * largest, or 1 when there is none. The one "next epoch" rule of import, archive and the
   * speed layer's first epoch.
   */
  public static long nextEpoch(java.util.Collection<Long> existing) {
    long next = 1;
    for (long e : existing) {
      next = Math.max(next, e + 1);
    }
    return next;
  }

  /** The epoch that takes new offsets now. */
  public long openEpoch() {
    return first + closed.size();
  }

  /** The last closed epoch, or {@code first - 1} when none is closed. */
  public long lastClosed() {
    return openEpoch() - 1;
  }

  /** When the open epoch began: the last close, or the start of the chain. */
  public long openSinceMillis() {
    return closed.isEmpty() ? startedAtMillis : closed.get(closed.size() - 1).closedAtMillis();
  }

  /** Where the open epoch begins: the last closed epoch's end (nothing: offset 0 everywhere). */
  public PartitionOffsets openStart() {
    return closed.isEmpty() ? PartitionOffsets.empty() : closed.get(closed.size() - 1).end();
  }

  /** Whether {@code epoch} is closed. */
  public boolean isClosed(long epoch) {
    return epoch >= first && epoch < openEpoch();
  }

  /** The start offsets of a closed or open epoch. */
  public PartitionOffsets startOf(long epoch) {
    requireKnown(epoch);
    return epoch == first ? PartitionOffsets.empty() : closed.get((int) (epoch - first - 1)).end();
  }

  /** The end offsets of a closed epoch. */
  public PartitionOffsets endOf(long epoch) {
    if (!isClosed(epoch)) {
      throw new IllegalArgumentException("epoch " + epoch + " is not closed (open epoch: " + openEpoch() + ")");
    }
    return closed.get((int) (epoch - first)).end();
  }

  /** The epoch an offset arrived in: the first closed epoch ending after it, else the open one. */
  public long epochOf(int partition, long offset) {
    int lo = 0;
    int hi = closed.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (offset < closed.get(mid).end().get(partition)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return first + lo;
  }

  /**
   * The chain with the open epoch closed at {@code end}: every partition at or after the open
   * epoch's start (partitions {@code end} does not name keep their start).
   */
  public EpochChain close(PartitionOffsets end, long atMillis, String by) {
    PartitionOffsets full = openStart().with(end);
    if (!full.atOrAfter(openStart())) {
      throw new IllegalArgumentException("cannot close epoch " + openEpoch() + " at " + end + ": it starts at "
          + openStart());
    }
    List<ClosedEpoch> next = new ArrayList<>(closed);
    next.add(new ClosedEpoch(openEpoch(), full, atMillis, by));
    return new EpochChain(first, startedAtMillis, next);
  }

  private void requireKnown(long epoch) {
    if (epoch < first || epoch > openEpoch()) {
      throw new IllegalArgumentException("epoch " + epoch + " is not a Kafka epoch of this chain (" + first + ".."
          + openEpoch() + ")");
    }
  }
}
