package org.lambdadist.core.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Test;

class DedupWindowTest {
  private static final long MINUTE = 60_000;

  @Test
  void anIdIsRememberedForTheWindowRoundedUpToABucketThenForgotten() {
    DedupWindow w = new DedupWindow(10 * MINUTE); // buckets of 1 minute
    w.begin(1, 30_000);
    assertFalse(w.seen(1, 1));
    w.remember(1, 1);
    assertFalse(w.seen(1, 1), "the current batch's own ids are not 'earlier'");
    w.begin(2, 32_000);
    assertTrue(w.seen(1, 1));
    w.begin(3, 10 * MINUTE + 59_999);
    assertTrue(w.seen(1, 1), "its bucket [0, 1 min) ends 10 minutes before 11 min");
    w.begin(4, 11 * MINUTE);
    assertFalse(w.seen(1, 1), "forgotten once the window has passed its whole bucket");
    assertEquals(0, w.size());
  }

  @Test
  void aBatchRunAgainForgetsWhatItsFirstRunRemembered() {
    DedupWindow w = new DedupWindow(MINUTE);
    w.begin(7, 1_000);
    w.remember(3, 4);
    w.begin(7, 1_000);
    assertEquals(0, w.current().size());
    assertFalse(w.seen(3, 4));
    w.remember(3, 4);
    w.begin(8, 3_000);
    assertTrue(w.seen(3, 4));
    assertThrows(IllegalStateException.class, () -> w.begin(6, 4_000), "behind the window: read it again");
  }

  @Test
  void aClockSteppingBackFilesIdsInTheNewestBucket() {
    DedupWindow w = new DedupWindow(10 * MINUTE);
    w.begin(1, 5 * MINUTE);
    w.remember(1, 9);
    w.begin(2, 2 * MINUTE); // the clock stepped back three minutes
    w.remember(2, 9);
    w.begin(3, 5 * MINUTE + 1_000);
    assertTrue(w.seen(1, 9));
    assertTrue(w.seen(2, 9));
    w.begin(4, 15 * MINUTE + 59_999);
    assertTrue(w.seen(2, 9), "kept with the newer bucket, not dropped early");
  }

  @Test
  void firstCopiesAreTheEarliestInTheBatchAndNotSeenBefore() {
    DedupWindow w = new DedupWindow(10 * MINUTE);
    w.begin(1, 0);
    w.remember(50, 50);
    w.begin(2, 2_000);
    long[] high = {1, 1, 1, 50, 2};
    long[] low = {1, 1, 1, 50, 2};
    int[] partition = {1, 0, 0, 3, 2};
    long[] offset = {5, 9, 4, 1, 8};
    boolean[] kept = new boolean[5];
    assertEquals(3, FirstCopies.decide(w, 5, high, low, partition, offset, kept));
    assertArrayEquals(new boolean[] {false, false, true, false, true}, kept,
        "id 1: partition 0 offset 4 is the earliest; id 50 an earlier batch counted; id 2 once");
    assertTrue(w.current().contains(1, 1));
    assertFalse(w.current().contains(50, 50));
    boolean[] again = new boolean[5];
    w.begin(2, 2_000);
    assertEquals(3, FirstCopies.decide(w, 5, high, low, partition, offset, again));
    assertArrayEquals(kept, again, "the same decision when the batch runs again");
  }

  @Test
  void tenMinutesAt50000EventsPerSecondFitsTheDefaultHeap() {
    // 30 million ids is too slow for a unit test: 80 s of it (a sealed minute and an open bucket), per id.
    DedupWindow w = new DedupWindow(10 * MINUTE);
    long t = 0;
    int perBatch = 100_000;
    long n = 0;
    for (int batch = 1; batch <= 41; batch++, t += 2_000) {
      w.begin(batch, t);
      for (int i = 0; i < perBatch && batch < 41; i++, n++) {
        long[] fp = EventFingerprint.of("event-" + n);
        w.remember(fp[0], fp[1]);
      }
    }
    double perId = (double) w.memoryBytes() / w.size();
    assertTrue(perId < 32, "bytes per id: " + perId);
    assertTrue(perId * 30_000_000 < 1024L * 1024 * 1024, "30 million ids under 1 GiB of a 2 GiB heap: " + perId);
  }
}
