package org.lambdadist.batch.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lambdadist.storage.hbase.BatchPointer;

/** When a cycle has work: a committed master epoch newer than what the served version covers. */
class CyclePlanTest {
  private static BatchPointer served(long first, long last) {
    return new BatchPointer("v1", first, last, "{}", "2026-11-30T00:00:00Z", null, -1, -1, null);
  }

  @Test
  void staleOnlyWhenTheMasterDatasetHasANewerEpoch() {
    assertFalse(new CycleTool.Plan(-1, null, true).stale(), "no epoch yet: nothing to aggregate");
    assertTrue(new CycleTool.Plan(1, null, true).stale(), "nothing served yet");
    assertFalse(new CycleTool.Plan(5, served(1, 5), true).stale(), "the served version covers epoch 5");
    assertTrue(new CycleTool.Plan(6, served(1, 5), true).stale());
  }

  @Test
  void checkPrintsWhatTheOozieDecisionsRead() {
    var p = new CycleTool.Plan(6, served(1, 5), false).properties();
    assertEquals("true", p.get("stale"));
    assertEquals("false", p.get("attribution"));
    assertEquals("6", p.get("newest_epoch"));
    assertEquals("v1", p.get("served_version"));
    assertEquals("5", p.get("served_last_epoch"));
  }
}
