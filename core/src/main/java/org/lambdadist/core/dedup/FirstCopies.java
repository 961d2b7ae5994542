package org.lambdadist.core.dedup;

/**
 * Which copies of a micro-batch's events (those with an id; the rest are never duplicates)
 * count: of the copies of an id in the batch, the one that arrived first (lowest Kafka
 * partition, then offset; a deterministic choice, so a batch run again puts the event in the same
 * epoch), and only if no earlier micro-batch within the window kept the id. The copies not
 * counted are the batch's duplicates. The kept ids are remembered in the window.
 */
public final class FirstCopies {
  private FirstCopies() {}

  /**
   * Decides copies {@code 0 .. n-1} (fingerprint, partition, offset) against the window, which
   * must have {@link DedupWindow#begin begun} this micro-batch; sets {@code kept[i]} and returns
   * how many copies were dropped.
   */
  public static long decide(DedupWindow window, int n, long[] high, long[] low, int[] partition, long[] offset,
                            boolean[] kept) {
    FingerprintTable first = FingerprintTable.map(n);
    for (int i = 0; i < n; i++) {
      int j = first.get(high[i], low[i]);
      if (j < 0 || partition[i] < partition[j] || (partition[i] == partition[j] && offset[i] < offset[j])) {
        first.put(high[i], low[i], i);
      }
    }
    long dropped = 0;
    for (int i = 0; i < n; i++) {
      kept[i] = false;
      if (first.get(high[i], low[i]) != i) {
        dropped++; // a later copy in this batch
      } else if (window.seen(high[i], low[i])) {
        dropped++; // an earlier micro-batch counted it
      } else {
        kept[i] = true;
        window.remember(high[i], low[i]);
      }
    }
    return dropped;
  }
}
