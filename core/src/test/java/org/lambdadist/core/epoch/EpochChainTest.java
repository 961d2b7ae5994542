package org.lambdadist.core.epoch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EpochChainTest {

  @Test
  void offsetsRoundTripAsText() {
    PartitionOffsets p = PartitionOffsets.of(Map.of(2, 7L, 0, 120L));
    assertEquals("0:120,2:7", p.toString());
    assertEquals(p, PartitionOffsets.parse(p.toString()));
    assertEquals(PartitionOffsets.empty(), PartitionOffsets.parse(""));
    assertEquals(PartitionOffsets.parse("0:0"), PartitionOffsets.empty(), "offset 0 and absent are the same");
    assertEquals(0, p.get(1));
    assertThrows(IllegalArgumentException.class, () -> PartitionOffsets.parse("0=1"));
    assertThrows(IllegalArgumentException.class, () -> PartitionOffsets.parse("0:x"));
    assertEquals(113, p.distanceFrom(PartitionOffsets.parse("0:10,2:4")));
  }

  @Test
  void everyOffsetBelongsToExactlyTheEpochWhoseRangeHoldsIt() {
    Random random = new Random(7);
    EpochChain chain = new EpochChain(4, 1000, List.of());
    long[] ends = new long[3];
    for (int e = 0; e < 20; e++) {
      for (int p = 0; p < 3; p++) {
        ends[p] += random.nextInt(3) == 0 ? 0 : random.nextInt(50);
      }
      chain = chain.close(PartitionOffsets.of(Map.of(0, ends[0], 1, ends[1], 2, ends[2])), 2000 + e, "test");
    }
    assertEquals(24, chain.openEpoch());
    for (int p = 0; p < 3; p++) {
      for (long offset = 0; offset < ends[p] + 10; offset++) {
        long epoch = chain.epochOf(p, offset);
        assertTrue(offset >= chain.startOf(epoch).get(p), "offset " + offset + " before its epoch " + epoch);
        if (chain.isClosed(epoch)) {
          assertTrue(offset < chain.endOf(epoch).get(p), "offset " + offset + " after its epoch " + epoch);
        } else {
          assertEquals(chain.openEpoch(), epoch);
        }
      }
    }
  }

  @Test
  void closingKeepsPartitionsTheBoundaryDoesNotNameAndRefusesGoingBack() {
    EpochChain chain = new EpochChain(1, 0, List.of()).close(PartitionOffsets.parse("0:10,1:5"), 10, "speed");
    EpochChain next = chain.close(PartitionOffsets.parse("0:12"), 20, "archive");
    assertEquals(PartitionOffsets.parse("0:12,1:5"), next.endOf(2));
    assertEquals(PartitionOffsets.parse("0:10,1:5"), next.startOf(2));
    assertEquals(20, next.openSinceMillis());
    assertThrows(IllegalArgumentException.class, () -> chain.close(PartitionOffsets.parse("0:9"), 30, "x"));
    assertThrows(IllegalArgumentException.class, () -> chain.endOf(2));
  }

  @Test
  void theLedgerResumesTheUnfinishedBatchAndRefusesAnythingElse() {
    PartitionOffsets a = PartitionOffsets.parse("0:0");
    PartitionOffsets b = PartitionOffsets.parse("0:10,1:3");
    PartitionOffsets c = PartitionOffsets.parse("0:20,1:3");
    MicroBatchLedger none = MicroBatchLedger.empty();
    assertEquals(new MicroBatchLedger.Decision(MicroBatchLedger.Kind.NEW, 1), none.place(a, b));

    MicroBatchLedger writing = new MicroBatchLedger(null, new MicroBatchLedger.Batch(1, a, b));
    assertEquals(MicroBatchLedger.Kind.RESUMED, writing.place(a, b).kind());
    assertThrows(IllegalStateException.class, () -> writing.place(a, c), "a differently cut replay would double count");

    MicroBatchLedger done = new MicroBatchLedger(new MicroBatchLedger.Batch(1, a, b), null);
    assertEquals(new MicroBatchLedger.Decision(MicroBatchLedger.Kind.DONE, 1), done.place(a, b));
    assertEquals(new MicroBatchLedger.Decision(MicroBatchLedger.Kind.NEW, 2), done.place(b, c));
    assertThrows(IllegalStateException.class, () -> done.place(a, c));

    // After a restart Spark may re-run older batches its checkpoint did not see complete.
    MicroBatchLedger later = new MicroBatchLedger(new MicroBatchLedger.Batch(2, b, c), new MicroBatchLedger.Batch(3, c,
        PartitionOffsets.parse("0:30,1:3")));
    assertEquals(new MicroBatchLedger.Decision(MicroBatchLedger.Kind.DONE, 2), later.place(a, b));
    assertEquals(MicroBatchLedger.Kind.RESUMED, later.place(c, PartitionOffsets.parse("0:30,1:3")).kind());
  }
}
