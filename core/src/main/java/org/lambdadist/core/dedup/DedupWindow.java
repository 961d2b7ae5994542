package org.lambdadist.core.dedup;

import java.util.ArrayDeque;

/**
 * The event ids (as {@link EventFingerprint}s) that micro-batches before the current one kept,
 * for the dedup window: one set per time bucket of a tenth of the window, dropped whole when the
 * window has passed it, so an id is remembered at least the window and at most a tenth longer.
 *
 * <p>The current micro-batch's own ids are kept apart ({@link #remember}) until the next
 * micro-batch begins: a micro-batch run again (after a crash, or a retried task) {@link #begin}s
 * with the same sequence, which forgets what its first run remembered, so it keeps the same first
 * copies as its first run did. Its time is the one recorded when it first ran, so expiry is the
 * same too. A micro-batch's time decides its bucket; time going backwards (a clock step) only
 * files ids in the newest bucket, never loses them. Not thread-safe: one per state partition.
 */
public final class DedupWindow {
  private record Bucket(long index, FingerprintTable ids) {}

  private final long windowMillis;
  private final long bucketMillis;
  private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
  private long sequence = -1;
  private long timeMillis;
  private FingerprintTable current = FingerprintTable.set(0);

  /** A window of {@code windowMillis} (positive), bucketed by a tenth of it. */
  public DedupWindow(long windowMillis) {
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("the dedup window must be positive: " + windowMillis + " ms");
    }
    this.windowMillis = windowMillis;
    this.bucketMillis = Math.max(1, windowMillis / 10);
  }

  /**
   * Starts micro-batch {@code sequence} at {@code timeMillis}: the previous micro-batch's ids join
   * the window, buckets the window has passed are dropped. The same sequence again starts that
   * micro-batch over; an earlier one is refused (the window is ahead of it: load it again).
   */
  public void begin(long sequence, long timeMillis) {
    if (sequence < this.sequence) {
      throw new IllegalStateException("micro-batch " + sequence + " begins after micro-batch " + this.sequence
          + ": the dedup window is ahead of it");
    }
    if (sequence > this.sequence && current.size() > 0) {
      long index = Math.floorDiv(this.timeMillis, bucketMillis);
      Bucket newest = buckets.peekLast();
      if (newest != null && newest.index >= index) {
        newest.ids.addAll(current);
      } else {
        if (newest != null) {
          newest.ids.compact(); // sealed: no micro-batch's time falls in it any more
        }
        current.compact();
        buckets.addLast(new Bucket(index, current));
      }
    }
    this.sequence = sequence;
    this.timeMillis = timeMillis;
    current = FingerprintTable.set(current.size());
    while (!buckets.isEmpty() && (buckets.peekFirst().index + 1) * bucketMillis <= timeMillis - windowMillis) {
      buckets.removeFirst();
    }
  }

  /** Whether an earlier micro-batch within the window kept this id. */
  public boolean seen(long high, long low) {
    for (Bucket b : buckets) {
      if (b.ids.contains(high, low)) {
        return true;
      }
    }
    return false;
  }

  /** Records that the current micro-batch kept this id. */
  public void remember(long high, long low) {
    current.add(high, low);
  }

  /** The current micro-batch's kept ids (what its state file holds). */
  public FingerprintTable current() {
    return current;
  }

  /** The current micro-batch's sequence, or -1 before the first. */
  public long sequence() {
    return sequence;
  }

  /** Ids remembered, the current micro-batch's included. */
  public long size() {
    long n = current.size();
    for (Bucket b : buckets) {
      n += b.ids.size();
    }
    return n;
  }

  /** The heap its sets take, in bytes. */
  public long memoryBytes() {
    long n = current.memoryBytes();
    for (Bucket b : buckets) {
      n += b.ids.memoryBytes();
    }
    return n;
  }

  /** The oldest time a micro-batch's ids may have to still be remembered at {@code timeMillis}. */
  public long horizon(long timeMillis) {
    return timeMillis - windowMillis - bucketMillis;
  }
}
