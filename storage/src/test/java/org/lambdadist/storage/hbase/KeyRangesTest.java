package org.lambdadist.storage.hbase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lambdadist.core.codec.RowKeyCodec;
import org.lambdadist.core.time.Granularity;
import org.lambdadist.core.view.ViewCatalog;
import org.lambdadist.core.view.ViewDefinition;
import org.lambdadist.core.view.ViewKey;

/** The ranges of a multi-key read: which range a scanned row belongs to, guessed or searched. */
class KeyRangesTest {
  private static final long DAY = 86_400_000L;

  @Test
  void everyRowIsFoundInItsRangeWhateverTheGuess() throws Exception {
    ViewDefinition view = ViewCatalog.parse("""
        {"views":[{"name":"v","dimensions":["k"],"granularities":["minute"],"metrics":[{"name":"n","type":"count"}]}]}
        """, "test").view("v");
    List<List<String>> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add(List.of("key-" + i));
    }
    keys.add(List.of("key-7")); // asked twice: one range
    ViewStore.KeyRanges ranges = new ViewStore.KeyRanges(view, keys, Granularity.MINUTE, 10 * DAY, 11 * DAY);
    assertEquals(50, ranges.size());
    assertEquals(ranges.rangeOfKey(7), ranges.rangeOfKey(50));
    for (int k = 0; k < 50; k++) {
      int r = ranges.rangeOfKey(k);
      for (long minute : new long[] {10 * DAY, 10 * DAY + 60_000, 11 * DAY - 60_000}) {
        byte[] row = RowKeyCodec.encode(new ViewKey("v", keys.get(k), Granularity.MINUTE, minute));
        for (int guess : new int[] {0, r, r + 1, 49, 50}) {
          assertEquals(r, ranges.rangeOf(row, guess), "key " + k + " guess " + guess);
        }
      }
    }
    byte[] outside = RowKeyCodec.encode(new ViewKey("v", List.of("key-3"), Granularity.MINUTE, 11 * DAY));
    assertThrows(IllegalStateException.class, () -> ranges.rangeOf(outside, ranges.rangeOfKey(3)));
  }
}
